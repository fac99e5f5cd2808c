export { createFlowServer, type FlowServer, type FlowServerOptions } from "./create-flow-server.js";
export {
  type ServeCluster,
  type ServeClusterOptions,
  serveWorkerExecArgv,
  startServeCluster,
} from "./serve-cluster.js";
