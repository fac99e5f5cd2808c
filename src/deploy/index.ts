/** Deployment: A/B traffic splits of registered flow versions, the endpoint handler, production logs. */

export {
  CosmosDeploymentStore,
  CosmosRequestLogStore,
  ensureDeploymentContainers,
  openCosmosDeploymentStores,
} from "../stores/azure/cosmos-deployment-stores.js";
export * from "../stores/deployment-store.js";
export { SqliteDeploymentStore, SqliteRequestLogStore } from "../stores/local/sqlite-deployment-stores.js";
export { chooseVersion, seededRandom, userBucket } from "./choose-version.js";
export {
  compareEndpoint,
  type EvaluateVersion,
  formatComparison,
  type VersionComparison,
} from "./compare-endpoint.js";
export {
  type DeployContext,
  DeploymentStateError,
  deployTraffic,
  promoteCandidate,
  rollbackDeployment,
} from "./deploy-actions.js";
export { checkTraffic, DeploymentSpecError, parseFlowWeight, readDeploymentFile } from "./deployment-file.js";
export { endpointService } from "./endpoint-service.js";
export {
  createFlowVersionCache,
  type FlowVersionCache,
  type FlowVersionCacheOptions,
} from "./flow-version-cache.js";
export {
  type EndpointDependencies,
  handleEndpointRequest,
  REQUEST_ID_HEADER,
  USER_HEADER,
  VERSION_HEADER,
} from "./handle-endpoint-request.js";
export { type DeploymentStores, openDeploymentStores } from "./open-deployment-stores.js";
export { type ProductionRow, parseSince, readProductionData } from "./production-data.js";
export {
  hashUserKey,
  isSampled,
  loggingOptionsFromEnv,
  REDACTED,
  type RequestLoggingOptions,
  scrubFields,
} from "./request-logging.js";
export {
  type ResolveDataOptions,
  type ResolvedData,
  resolveDataReference,
} from "./resolve-data-reference.js";
