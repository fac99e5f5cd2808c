/**
 * flowops as a library: `loadFlow` turns a Prompt Flow `flow.dag.yaml` into an async function, and
 * `createFlowServer` serves one over HTTP.
 */

export {
  type Diagnostic,
  FlowopsError,
  FlowValidationError,
  InputError,
  NodeExecutionError,
  NotSupportedError,
  UserError,
} from "./core/errors.js";
export type {
  AggregationResult,
  ExecuteOptions,
  FlowExecutor,
  LineResult,
  NodeContext,
  NodeRunRecord,
  NodeRunStatus,
} from "./core/execution-types.js";
export type * from "./core/flow-definition.js";
export type {
  ChatMessage,
  ConnectionCatalog,
  ModelPort,
  ModelRequest,
  ModelResponse,
  ModelStreamChunk,
  TokenUsage,
} from "./core/model-port.js";
export type { FlowCallOptions, FlowFunction } from "./flow-function.js";
export {
  createHttpApp,
  flowServeRoutes,
  type HttpAppOptions,
  type HttpMount,
  type HttpServer,
  listenHttpApp,
} from "./http/index.js";
export { type LoadFlowOptions, loadFlow } from "./load-flow.js";
export { createFlowServer, type FlowServer, type FlowServerOptions } from "./serve/index.js";
export { setupTelemetry, type Telemetry, type TelemetryOptions } from "./telemetry/index.js";
