import { usesAzureStores } from "../registry/azure-settings.js";
import { openCosmosDeploymentStores } from "./stores/cosmos-deployment-stores.js";
import type { DeploymentStore, RequestLogStore } from "./stores/deployment-store.js";
import { SqliteDeploymentStore, SqliteRequestLogStore } from "./stores/sqlite-deployment-stores.js";

export interface DeploymentStores {
  deployments: DeploymentStore;
  requests: RequestLogStore;
  close(): Promise<void>;
}

/**
 * The deployment and request-log stores the environment selects: SQLite under FLOWOPS_HOME by
 * default; Cosmos DB containers `deployments` and `requests` with `FLOWOPS_STORE=azure`.
 */
export function openDeploymentStores(env: NodeJS.ProcessEnv = process.env): DeploymentStores {
  const { deployments, requests } = usesAzureStores(env)
    ? openCosmosDeploymentStores(env)
    : (() => {
        const home = env["FLOWOPS_HOME"] ? { home: env["FLOWOPS_HOME"] } : {};
        return { deployments: new SqliteDeploymentStore(home), requests: new SqliteRequestLogStore(home) };
      })();
  return {
    deployments,
    requests,
    close: async () => {
      await requests.close();
      await deployments.close();
    },
  };
}
