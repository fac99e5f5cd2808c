import type { DeploymentStore, RequestLogStore } from "../stores/deployment-store.js";
import { openStores } from "../stores/open-stores.js";

export interface DeploymentStores {
  deployments: DeploymentStore;
  requests: RequestLogStore;
  close(): Promise<void>;
}

/**
 * The deployment and request-log stores the environment selects (see storeKind): SQLite under
 * FLOWOPS_HOME, or the Cosmos DB containers `deployments` and `requests`.
 */
export async function openDeploymentStores(env: NodeJS.ProcessEnv = process.env): Promise<DeploymentStores> {
  const { deployments, requests } = await openStores(env).deployments();
  return {
    deployments,
    requests,
    close: async () => {
      await requests.close();
      await deployments.close();
    },
  };
}
