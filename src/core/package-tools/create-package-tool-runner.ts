import { UserError } from "../errors.js";
import type { NodeDefinition } from "../flow-definition.js";
import { createLlmRunner } from "../node-runners/llm-node.js";
import type { NodeRunner, RunnerSetup } from "../node-runners/node-runner.js";
import { createPromptRunner } from "../node-runners/prompt-node.js";
import { createEmbeddingToolRunner } from "./embedding-tool.js";
import { packageOfTool, packageToolKind } from "./known-package-tools.js";
import { createSerpApiToolRunner } from "./serpapi-tool.js";
import { createVisionChatToolRunner } from "./vision-chat-tool.js";

/**
 * Runs a node whose source is a promptflow package tool (`source: {type: package|package_with_prompt,
 * tool}`) with flowops' native implementation. The llm and prompt tools run as flowops' llm/prompt
 * nodes (the `connection` input becomes the node's connection). Unknown tools fail naming the package
 * (validation reports them first).
 */
export async function createPackageToolRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const { node } = setup;
  const tool = node.source.tool ?? "";
  switch (packageToolKind(tool)) {
    case "embedding":
      return createEmbeddingToolRunner(setup);
    case "vision-chat":
      return createVisionChatToolRunner(setup);
    case "serpapi":
      return createSerpApiToolRunner(setup);
    case "prompt":
      return createPromptRunner({ ...setup, node: { ...node, type: "prompt" } });
    case "llm":
      return createLlmRunner({ ...setup, node: asLlmNode(node, tool) });
    default:
      throw new UserError(
        "PackageToolNotSupported",
        `Node '${node.name}' uses the package tool '${tool}' from package '${packageOfTool(tool)}', which flowops does not provide: rewrite this step as a typescript or python node.`,
        { node: node.name, field: "source.tool" },
      );
  }
}

function asLlmNode(node: NodeDefinition, tool: string): NodeDefinition {
  const { connection, ...inputs } = node.inputs;
  const api = tool.endsWith(".completion") ? "completion" : (node.api ?? "chat");
  const provider = tool.includes(".openai.")
    ? "OpenAI"
    : tool.includes(".aoai.")
      ? "AzureOpenAI"
      : node.provider;
  return {
    ...node,
    type: "llm",
    api,
    inputs,
    ...(typeof connection === "string" ? { connection } : {}),
    ...(provider ? { provider } : {}),
  };
}
