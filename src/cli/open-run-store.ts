import { usesAzureStores } from "../registry/azure-settings.js";
import { flowopsHome, SqliteRunStore } from "../stores/local/sqlite-run-store.js";
import type { RunStore } from "../stores/run-store.js";

/** The run store the environment selects: SQLite under FLOWOPS_HOME, or Cosmos DB with FLOWOPS_STORE=azure. */
export async function openRunStore(env: NodeJS.ProcessEnv): Promise<RunStore> {
  if (!usesAzureStores(env)) return new SqliteRunStore({ home: flowopsHome(env) });
  const { openCosmosRunStore } = await import("../stores/azure/cosmos-run-store.js");
  return openCosmosRunStore(env);
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
