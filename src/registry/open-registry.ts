import { openAzureBlobStore } from "../stores/azure/blob-store.js";
import { openCosmosRegistryStore } from "../stores/azure/cosmos-registry-store.js";
import type { BlobStore } from "../stores/blob-store.js";
import { openLocalBlobStore } from "../stores/local/local-blob-store.js";
import { openSqliteRegistryStore } from "../stores/local/sqlite-registry-store.js";
import type { RegistryStore } from "../stores/registry-store.js";
import { registryBlobSettings, usesAzureStores } from "./azure-settings.js";
import { createRegistry, type Registry } from "./registry.js";

export interface OpenedRegistry {
  registry: Registry;
  store: RegistryStore;
  blobs: BlobStore;
  close(): Promise<void>;
}

/**
 * The registry the environment selects: local (SQLite `registry.db` + blobs under FLOWOPS_HOME) by
 * default; with `FLOWOPS_STORE=azure`, the Cosmos `registry` container (COSMOS_ENDPOINT,
 * COSMOS_DATABASE) and the blob container `registry` (see registryBlobSettings).
 */
export function openRegistry(env: NodeJS.ProcessEnv = process.env): OpenedRegistry {
  const azure = usesAzureStores(env);
  const home = env["FLOWOPS_HOME"] ? { home: env["FLOWOPS_HOME"] } : {};
  const store = azure ? openCosmosRegistryStore(env) : openSqliteRegistryStore(home);
  const blobs = azure ? openAzureBlobStore(registryBlobSettings(env)) : openLocalBlobStore(home);
  return { registry: createRegistry({ store, blobs, env }), store, blobs, close: () => store.close() };
}
