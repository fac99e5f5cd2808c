import path from "node:path";
import { loadFlowDefinition } from "../core/check-flow.js";
import { createFlowExecutor } from "../core/create-flow-executor.js";
import type { FlowExecutor } from "../core/execution-types.js";
import { createModelPort } from "../providers/index.js";
import { loadConnectionCatalog } from "../stores/connection-catalog.js";
import { createConnectionStore } from "../stores/create-connection-store.js";

/**
 * A flow folder's executor for batch runs (evaluations in `endpoint compare`): connections from the
 * environment and FLOWOPS_HOME; in replay mode, answers from `<flow>/.recordings` and no connection
 * check.
 */
export async function loadFlowExecutor(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FlowExecutor> {
  const connections = createConnectionStore(env);
  const replay = env["FLOWOPS_LLM_MODE"] === "replay";
  const catalog = replay ? undefined : await loadConnectionCatalog(connections);
  const definition = await loadFlowDefinition(path.resolve(dir), catalog ? { connections: catalog } : {});
  const models = createModelPort({
    connections,
    recordingsDir: path.join(definition.directory, ".recordings"),
    env,
  });
  return createFlowExecutor(definition, { models });
}
