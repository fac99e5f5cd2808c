import { flowopsHome } from "../core/flowops-home.js";
import { createCompositeConnectionStore } from "./composite-connection-store.js";
import { createConnectionFileStore } from "./connection-file-store.js";
import type { ConnectionStore } from "./connection-store.js";
import { createEnvConnectionStore } from "./env-connection-store.js";

/**
 * The store the CLI and servers use: `FLOWOPS_CONNECTION_<NAME>` variables first, then the files
 * under `FLOWOPS_HOME` (default `~/.flowops`); writes go to the files.
 */
export function createConnectionStore(env: NodeJS.ProcessEnv = process.env): ConnectionStore {
  const files = createConnectionFileStore(flowopsHome(env));
  return createCompositeConnectionStore([createEnvConnectionStore(env), files], files);
}
