/**
 * The Functions app as plain TypeScript: the function table (its HTTP routes are served by src/http), the bulk-run orchestrator and its activities. `functions/` (Azure) and `src/host/` (local)
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
export { type AppHealth, checkHealth } from "./check-health.js";
export { phaseRuns } from "./evaluation-runs.js";
export { FlowCatalog, type LoadedFlow, UnknownFlowError } from "./flow-catalog.js";
export {
  type ActivityFunction,
  type AppFunction,
  buildFunctionTable,
  type HttpFunction,
  type HttpOperation,
  type Invocation,
  type OrchestrationFunction,
  type QueueFunction,
} from "./function-table.js";
export {
  FINAL_STATUSES,
  InstanceExistsError,
  type InstanceStatus,
  type OrchestrationClient,
  type RuntimeStatus,
} from "./orchestration-client.js";
export { readLineRange } from "./read-line-range.js";
export { runBlobs } from "./run-blobs.js";
export { describeRun } from "./run-status.js";
export { type StartedRun, startBulkRun } from "./start-bulk-run.js";
