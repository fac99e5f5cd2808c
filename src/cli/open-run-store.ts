import { openStores } from "../stores/open-stores.js";
import type { RunStore } from "../stores/run-store.js";

/** The run store the environment selects (see storeKind): SQLite under FLOWOPS_HOME, or Cosmos DB. */
export async function openRunStore(env: NodeJS.ProcessEnv): Promise<RunStore> {
  return openStores(env).runs();
}

/** Opens the run store, hands it to `action` and closes it afterwards. */
export async function withRunStore<T>(
  env: NodeJS.ProcessEnv,
  action: (store: RunStore) => Promise<T>,
): Promise<T> {
  const store = await openRunStore(env);
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}
