export { buildSwagger, flowName } from "./build-swagger.js";
export {
  createFlowServer,
  type FlowServer,
  type FlowServerOptions,
  negotiate,
} from "./create-flow-server.js";
export { type ErrorBody, RequestError, toErrorResponse } from "./error-response.js";
export { checkJsonContentType, parseJsonInputs, readJsonBody } from "./read-json-body.js";
export {
  type ServeCluster,
  type ServeClusterOptions,
  serveWorkerExecArgv,
  startServeCluster,
} from "./serve-cluster.js";
