import { createTypescriptEntryRunner } from "../flex/typescript-entry-runner.js";
import { createPackageToolRunner } from "../package-tools/create-package-tool-runner.js";
import { packageToolKind } from "../package-tools/known-package-tools.js";
import { createPromptyNodeRunner, isPromptyNode } from "../prompty/prompty-node-runner.js";
import { createLlmRunner } from "./llm-node.js";
import type { NodeRunner, RunnerSetup } from "./node-runner.js";
import { createPromptRunner } from "./prompt-node.js";
import { createPythonNodeRunner } from "./python.js";
import { createTypescriptRunner } from "./typescript-node.js";
import { createUnsupportedRunner } from "./unsupported-node.js";

export type { NodeCall, NodeRunner, RunnerSetup } from "./node-runner.js";
export { PromptResult } from "./node-runner.js";

/** Builds the runner for a node (loads its code or compiles its template once). */
export function createNodeRunner(setup: RunnerSetup): Promise<NodeRunner> {
  // promptflow package tools (embedding, gpt4v chat, serpapi, llm/prompt) run natively.
  if (setup.node.source.type === "package" || setup.node.source.type === "package_with_prompt") {
    // Others come from installed python packages (their `package_tools` entry point), run by the worker.
    if (setup.python && !packageToolKind(setup.node.source.tool))
      return Promise.resolve(createPythonNodeRunner(setup));
    return createPackageToolRunner(setup);
  }
  // `type: prompty`, or an llm node pointing at a .prompty: the front matter gives the model settings.
  if (isPromptyNode(setup.node)) return createPromptyNodeRunner(setup);
  switch (setup.node.type) {
    case "llm":
      return createLlmRunner(setup);
    case "prompt":
      return createPromptRunner(setup);
    case "typescript":
      // A flex flow's TypeScript entry names its export (`entry: file.ts:name`).
      return setup.node.source.function ? createTypescriptEntryRunner(setup) : createTypescriptRunner(setup);
    case "python":
      return Promise.resolve(createPythonNodeRunner(setup));
    default:
      return Promise.resolve(createUnsupportedRunner(setup));
  }
}
