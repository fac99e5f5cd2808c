/**
 * The Functions app as plain TypeScript: the function table, its handlers on plain request/response
 * objects, the bulk-run orchestrator and its activities. `functions/` (Azure) and `src/host/` (local)
 * both serve this table.
 */
export {
  type AppContext,
  type CreateAppContextOptions,
  createAppContext,
  type LogLevel,
} from "./app-context.js";
export { bulkRunOrchestrator } from "./bulk-run-orchestrator.js";
export {
  ACTIVITIES,
  BULK_RUN_ORCHESTRATION,
  type BulkRunInput,
  type BulkRunPlan,
  type BulkRunSummary,
  MAX_CHUNK_ATTEMPTS,
  type RunChunkInput,
  type RunChunkResult,
} from "./bulk-run-plan.js";
export {
  type BulkRunRequest,
  bulkRunRequestSchema,
  parseBulkRunRequest,
  type StoredBulkRequest,
} from "./bulk-run-request.js";
export { appErrorResponse } from "./error-response.js";
export { phaseRuns } from "./evaluation-runs.js";
export { FlowCatalog, type LoadedFlow, UnknownFlowError } from "./flow-catalog.js";
export {
  type ActivityFunction,
  type AppFunction,
  buildFunctionTable,
  type HttpFunction,
  type Invocation,
  type OrchestrationFunction,
  type QueueFunction,
} from "./function-table.js";
export { type AppRequest, type AppResponse, jsonResponse } from "./http-types.js";
export {
  FINAL_STATUSES,
  InstanceExistsError,
  type InstanceStatus,
  type OrchestrationClient,
  type RuntimeStatus,
} from "./orchestration-client.js";
export { readLineRange } from "./read-line-range.js";
export { runBlobs } from "./run-blobs.js";
export { noRoute } from "./score-handlers.js";
export { type StartedRun, startBulkRun } from "./start-bulk-run.js";
