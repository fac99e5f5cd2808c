export {
  type ColumnMapping,
  type MappingSources,
  mapLineInputs,
  validateColumnMapping,
} from "./column-mapping.js";
export { type ExportSummary, exportRun, RUN_FOLDER_FILES } from "./export-run.js";
export { type FinishRunOptions, finishRun } from "./finish-run.js";
export { type BatchLine, countBatchLines, type LineSourceOptions, readBatchLines } from "./line-source.js";
export {
  createProgressReporter,
  formatProgressLine,
  type ProgressOptions,
  type ProgressReporter,
} from "./progress.js";
export {
  type ConnectionLimits,
  estimateTokens,
  limitModelPort,
  type RateLimitOptions,
} from "./rate-limit.js";
export { DATA_EXTENSIONS, DataError, type DataRow, readData } from "./read-data.js";
export { type BatchProgress, cancelRun, type RunBatchOptions, runBatch } from "./run-batch.js";
export { addUsage, RunCounters } from "./run-counters.js";
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_LINE_TIMEOUT_MS,
  LineTimeoutError,
  type RunLinesOptions,
  runLines,
} from "./run-lines.js";
export { defaultRunName } from "./run-names.js";
export { redactSecrets, serializeError } from "./serialize-error.js";
export {
  formatDuration,
  type LineView,
  type RunView,
  showDetails,
  showMetrics,
  showRun,
  toRunView,
} from "./show-run.js";
