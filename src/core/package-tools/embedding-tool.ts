import { UserError } from "../errors.js";
import type { NodeRunner, RunnerSetup } from "../node-runners/node-runner.js";

/**
 * `promptflow.tools.embedding.embedding`: inputs `connection` (a name), `deployment_name` (Azure
 * OpenAI) or `model`, and `input`; the output is the embedding vector, through the model port.
 */
export function createEmbeddingToolRunner(setup: RunnerSetup): NodeRunner {
  const { node, models } = setup;
  return async (call) => {
    const connection = connectionName(node.name, call.inputs.connection ?? node.connection);
    const model = call.inputs.deployment_name ?? call.inputs.model;
    if (typeof model !== "string" || model === "") {
      throw new UserError(
        "ModelNotSpecified",
        `Node '${node.name}' names no embedding model: add a 'deployment_name' (Azure OpenAI) or 'model' input.`,
        { node: node.name, field: "inputs.deployment_name" },
      );
    }
    const input = call.inputs.input;
    const response = await models.invoke(
      {
        api: "embedding",
        connection,
        model,
        parameters: {},
        node: node.name,
        input: Array.isArray(input) ? input.map(String) : String(input ?? ""),
        ...(node.provider ? { provider: node.provider } : {}),
      },
      { signal: call.context.signal },
    );
    call.reportUsage(response.usage);
    return response.embedding;
  };
}

/** The connection a package tool names in its `connection` input (or the node's `connection`). */
export function connectionName(node: string, value: unknown): string {
  if (typeof value === "string" && value !== "") return value;
  throw new UserError(
    "ConnectionMissing",
    `Node '${node}' names no connection: add the input 'connection: NAME' (see 'flowops connection list').`,
    { node, field: "inputs.connection" },
  );
}
