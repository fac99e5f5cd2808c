import { tmpdir } from "node:os";
import path from "node:path";
import { flowopsHome } from "../core/flowops-home.js";
import { openRegistry } from "../registry/open-registry.js";
import { storeKind } from "../stores/store-settings.js";
import { createFlowVersionCache } from "./flow-version-cache.js";
import { handleEndpointRequest } from "./handle-endpoint-request.js";
import { openDeploymentStores } from "./open-deployment-stores.js";
import { loggingOptionsFromEnv } from "./request-logging.js";

type Handle = (request: Request, endpoint: string) => Promise<Response>;
const services = new WeakMap<object, Handle>();

/**
 * The endpoint handler wired to the stores the settings select (built once per settings object):
 * registry, deployments and request log (storeKind: Cosmos + Blob, or SQLite under
 * FLOWOPS_HOME), versions downloaded to FLOWOPS_CACHE_DIR (default `<FLOWOPS_HOME>/cache/endpoints`,
 * or the temp folder in Azure), logging from FLOWOPS_REQUEST_SAMPLE_RATE / _EXCLUDE_FIELDS.
 */
export function endpointService(settings: NodeJS.ProcessEnv = process.env): Handle {
  let handle = services.get(settings);
  if (!handle) {
    const opened = (async () => {
      const [{ registry }, stores] = await Promise.all([
        openRegistry(settings),
        openDeploymentStores(settings),
      ]);
      const cacheDir =
        settings["FLOWOPS_CACHE_DIR"] ||
        (storeKind(settings) === "azure"
          ? path.join(tmpdir(), "flowops-cache", "endpoints")
          : path.join(flowopsHome(settings), "cache", "endpoints"));
      return { stores, flows: createFlowVersionCache({ registry, cacheDir, env: settings }) };
    })();
    const logging = loggingOptionsFromEnv(settings);
    handle = async (request, endpoint) => {
      const { stores, flows } = await opened;
      return handleEndpointRequest(request, {
        deployments: stores.deployments,
        requests: stores.requests,
        flows,
        logging,
        endpoint,
      });
    };
    services.set(settings, handle);
  }
  return handle;
}
