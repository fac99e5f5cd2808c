/**
 * The one HTTP layer (web-standard Request → Response, on Hono): `createHttpApp` with the guards and the
 * error mapping, the route groups (`flowServeRoutes` for `flow serve`, `functionRoutes` for the Functions
 * app and the local host), and `listenHttpApp` to serve it on node:http.
 */
export { buildSwagger, flowName } from "./build-swagger.js";
export {
  createHttpApp,
  DEFAULT_MAX_IN_FLIGHT,
  describeServerError,
  type HttpAppOptions,
  type HttpLogLevel,
  type HttpMount,
} from "./create-http-app.js";
export { jsonResponse, negotiate, rawJsonResponse, scoreFlow } from "./flow-responses.js";
export { type FlowServeRoutesOptions, flowServeRoutes } from "./flow-serve-routes.js";
export {
  type ErrorBody,
  errorJson,
  errorResponse,
  RequestError,
  scrubServerPaths,
  toErrorResponse,
} from "./http-errors.js";
export { type HttpBindings, type HttpEnv, streamWithSlot } from "./http-guards.js";
export { type HttpSettings, httpSettingsFrom } from "./http-settings.js";
export {
  type HttpServer,
  isLoopback,
  type ListenOptions,
  listenHttpApp,
  loopbackHostCheck,
} from "./listen-http-app.js";
export { MAX_BODY_BYTES, MAX_JSON_DEPTH, readJsonObject } from "./read-json-body.js";
