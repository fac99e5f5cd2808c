import type { BlobStore } from "../stores/blob-store.js";
import { openStores } from "../stores/open-stores.js";
import type { RegistryStore } from "../stores/registry-store.js";
import { createRegistry, type Registry } from "./registry.js";

export interface OpenedRegistry {
  registry: Registry;
  store: RegistryStore;
  blobs: BlobStore;
  close(): Promise<void>;
}

/**
 * The registry the environment selects (see storeKind): local (SQLite `registry.db` + blobs under
 * FLOWOPS_HOME), or the Cosmos `registry` container (COSMOS_ENDPOINT, COSMOS_DATABASE) and the blob
 * container `registry` (see registryBlobSettings).
 */
export async function openRegistry(env: NodeJS.ProcessEnv = process.env): Promise<OpenedRegistry> {
  const { store, blobs } = await openStores(env).registry();
  return { registry: createRegistry({ store, blobs, env }), store, blobs, close: () => store.close() };
}
