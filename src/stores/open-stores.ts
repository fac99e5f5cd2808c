import { flowopsHome } from "../core/flowops-home.js";
import type { BlobStore } from "./blob-store.js";
import type { DeploymentStore, RequestLogStore } from "./deployment-store.js";
import type { RegistryStore } from "./registry-store.js";
import type { RunStore } from "./run-store.js";
import { hasFunctionsStorage, registryBlobSettings, type StoreKind, storeKind } from "./store-settings.js";

/** The stores one entry point opens, each on demand; the caller closes what it opened. */
export interface Stores {
  /** Which adapters runs, the registry and deployments use (see storeKind). */
  kind: StoreKind;
  runs(): Promise<RunStore>;
  registry(): Promise<{ store: RegistryStore; blobs: BlobStore }>;
  deployments(): Promise<{ deployments: DeploymentStore; requests: RequestLogStore }>;
  /** The app's run blobs: the Functions storage account when configured, else files under FLOWOPS_HOME. */
  runBlobs(): Promise<{ store: BlobStore; kind: "azure-blob" | "local" }>;
}

/**
 * The composition root of the stores, used by the CLI, deploy, the registry and the app. The rule is
 * storeKind's; the Azure SDKs are imported only when an Azure store is opened.
 */
export function openStores(settings: NodeJS.ProcessEnv = process.env): Stores {
  const kind = storeKind(settings);
  const home = flowopsHome(settings);
  return {
    kind,
    async runs() {
      if (kind === "local") {
        const { SqliteRunStore } = await import("./local/sqlite-run-store.js");
        return new SqliteRunStore({ home });
      }
      const { createCosmosClient, ensureRunsContainer, openCosmosRunStore } = await import(
        "./azure/index.js"
      );
      if (settings["COSMOS_CONNECTION_STRING"]) {
        // Emulators start empty; in Azure the infrastructure creates the database and container.
        const client = createCosmosClient(settings);
        try {
          await ensureRunsContainer(
            client,
            settings["COSMOS_DATABASE"] || undefined,
            settings["COSMOS_CONTAINER"] || undefined,
          );
        } finally {
          client.dispose();
        }
      }
      return openCosmosRunStore(settings);
    },
    async registry() {
      if (kind === "local") {
        const [{ openSqliteRegistryStore }, { openLocalBlobStore }] = await Promise.all([
          import("./local/sqlite-registry-store.js"),
          import("./local/local-blob-store.js"),
        ]);
        return { store: openSqliteRegistryStore({ home }), blobs: openLocalBlobStore({ home }) };
      }
      const [{ openCosmosRegistryStore }, { openAzureBlobStore }] = await Promise.all([
        import("./azure/cosmos-registry-store.js"),
        import("./azure/blob-store.js"),
      ]);
      return {
        store: openCosmosRegistryStore(settings),
        blobs: openAzureBlobStore(registryBlobSettings(settings)),
      };
    },
    async deployments() {
      if (kind === "local") {
        const { SqliteDeploymentStore, SqliteRequestLogStore } = await import(
          "./local/sqlite-deployment-stores.js"
        );
        return {
          deployments: new SqliteDeploymentStore({ home }),
          requests: new SqliteRequestLogStore({ home }),
        };
      }
      const { openCosmosDeploymentStores } = await import("./azure/cosmos-deployment-stores.js");
      return openCosmosDeploymentStores(settings);
    },
    async runBlobs() {
      if (!hasFunctionsStorage(settings)) {
        const { openLocalBlobStore } = await import("./local/local-blob-store.js");
        return { store: openLocalBlobStore({ home }), kind: "local" };
      }
      const { openAzureBlobStore } = await import("./azure/blob-store.js");
      const store = openAzureBlobStore(settings);
      if (settings["AzureWebJobsStorage"]) await store.ensureContainer();
      return { store, kind: "azure-blob" };
    },
  };
}
