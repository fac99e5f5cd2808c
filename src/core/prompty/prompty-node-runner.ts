import { UserError } from "../errors.js";
import { createLlmRunner } from "../node-runners/llm-node.js";
import type { NodeRunner, RunnerSetup } from "../node-runners/node-runner.js";
import { resolveFlowFile } from "../resolve-flow-file.js";
import type { PromptyFrontMatter } from "./prompty-schema.js";
import { promptyAnswersJson, promptyModelSettings, readPromptyFrontMatter } from "./read-prompty-flow.js";

/** Whether a node runs a `.prompty` file (`type: prompty`, or an llm node whose source is one). */
export function isPromptyNode(node: RunnerSetup["node"]): boolean {
  return node.type === "prompty" || (node.type === "llm" && /\.prompty$/i.test(node.source.path ?? ""));
}

/**
 * A node that runs a `.prompty` file inside a DAG flow: the file's front matter gives the api,
 * connection, provider, model and parameters, and the node's own fields and inputs override them
 * (the node's inputs also feed the template). Runs as an llm node over the file's body.
 */
export async function createPromptyNodeRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const { node, flow } = setup;
  const file = node.source.path ? resolveFlowFile(flow, node.source.path) : undefined;
  if (!file) {
    throw new UserError(
      "PromptFileMissing",
      `Node '${node.name}': its prompty file '${node.source.path ?? ""}' does not exist in ${flow.directory}. Fix source.path.`,
      { node: node.name, field: "source.path" },
    );
  }
  // A prompty run as a flow of its own may carry a `Prompty.load(model=...)` override (response, api,
  // parameters): its definition holds the merged front matter; a prompty node of a DAG reads the file.
  const fromFile = await readPromptyFrontMatter(file);
  const prompty =
    flow.file === file && flow.extra["prompty"] ? (flow.extra["prompty"] as PromptyFrontMatter) : fromFile;
  const settings = promptyModelSettings(fromFile);
  const json = promptyAnswersJson(prompty);
  const runner = await createLlmRunner(
    {
      ...setup,
      node: {
        ...node,
        type: "llm",
        api: node.api ?? settings.api,
        connection: node.connection ?? settings.connection,
        ...(!node.connection && (node.inline_connection ?? settings.inline)
          ? { inline_connection: node.inline_connection ?? settings.inline }
          : {}),
        provider: node.provider ?? settings.provider,
      },
    },
    prompty.model?.response === "all" ? { response: "all" } : {},
  );
  // The plan resolves only the node's own inputs: the front matter's model inputs are defaults under them.
  return async (call) => {
    const answer = await runner({ ...call, inputs: { ...settings.inputs, ...call.inputs } });
    return json && typeof answer === "string" ? parseJsonAnswer(answer, node.name) : answer;
  };
}

/** The answer without a surrounding ```json fence (a scan, not a regex: answers are untrusted). */
export function stripCodeFence(answer: string): string {
  let text = answer;
  if (text.startsWith("```")) text = text.slice(text.startsWith("```json") ? 7 : 3).trimStart();
  const end = text.trimEnd();
  return end.endsWith("```") ? end.slice(0, -3).trimEnd() : text;
}

/** A JSON answer as promptflow's prompty returns it: the parsed object. */
function parseJsonAnswer(answer: string, node: string): unknown {
  try {
    return JSON.parse(stripCodeFence(answer));
  } catch {
    throw new UserError(
      "PromptyJsonAnswer",
      `Node '${node}': the prompty asks for JSON (response_format json_object) but the model answered ${JSON.stringify(answer.slice(0, 80))}, which is not JSON.`,
      { node },
    );
  }
}
