export { buildSwagger, flowName } from "./build-swagger.js";
export { createFlowServer, type FlowServer, type FlowServerOptions } from "./create-flow-server.js";
export { type ErrorBody, RequestError, toErrorResponse } from "./error-response.js";
