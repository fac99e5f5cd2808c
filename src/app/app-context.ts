import path from "node:path";
import {
  createCosmosClient,
  ensureRunsContainer,
  openAzureBlobStore,
  openCosmosRunStore,
} from "../stores/azure/index.js";
import type { BlobStore } from "../stores/blob-store.js";
import { openLocalBlobStore } from "../stores/local/local-blob-store.js";
import { flowopsHome, openSqliteRunStore } from "../stores/local/sqlite-run-store.js";
import type { RunStore } from "../stores/run-store.js";
import { FlowCatalog } from "./flow-catalog.js";

export type LogLevel = "information" | "warning" | "error";

/** Everything a handler, the orchestrator's activities and the health check share, built once per process. */
export interface AppContext {
  flows: FlowCatalog;
  runs: RunStore;
  blobs: BlobStore;
  /** Which adapters are in use, for /api/health. */
  stores: { runs: "cosmos" | "sqlite"; blobs: "azure-blob" | "local" };
  settings: NodeJS.ProcessEnv;
  log(level: LogLevel, message: string): void;
  close(): Promise<void>;
}

export interface CreateAppContextOptions {
  /** App settings (environment); default process.env. */
  settings?: NodeJS.ProcessEnv;
  /** The flows folder; default FLOWOPS_FLOWS, else `flows`. */
  flowsDir?: string;
  log?: AppContext["log"];
}

/**
 * Builds the app's context from settings: Cosmos DB runs when `COSMOS_ENDPOINT` (or, for emulators,
 * `COSMOS_CONNECTION_STRING`) is set, Blob Storage blobs when `AzureWebJobsStorage` (or its
 * identity-based `__blobServiceUri`/`__accountName`) is set, else the embedded SQLite and file stores
 * under FLOWOPS_HOME.
 */
export async function createAppContext(options: CreateAppContextOptions = {}): Promise<AppContext> {
  const settings = options.settings ?? process.env;
  const flowsDir = options.flowsDir ?? settings["FLOWOPS_FLOWS"] ?? "flows";
  const home = flowopsHome(settings);
  const useCosmos = Boolean(settings["COSMOS_ENDPOINT"] || settings["COSMOS_CONNECTION_STRING"]);
  const useBlob = Boolean(
    settings["AzureWebJobsStorage"] ||
      settings["AzureWebJobsStorage__blobServiceUri"] ||
      settings["AzureWebJobsStorage__accountName"],
  );
  let runs: RunStore;
  if (useCosmos) {
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
    runs = openCosmosRunStore(settings);
  } else {
    runs = openSqliteRunStore({ home });
  }
  let blobs: BlobStore;
  if (useBlob) {
    const store = openAzureBlobStore(settings);
    if (settings["AzureWebJobsStorage"]) await store.ensureContainer();
    blobs = store;
  } else {
    blobs = openLocalBlobStore({ home });
  }
  const log = options.log ?? ((level: LogLevel, message: string) => console.error(`[${level}] ${message}`));
  const flows = new FlowCatalog(path.resolve(flowsDir), settings);
  for (const skipped of flows.skipped) log("warning", `flow not served: ${skipped}`);
  return {
    flows,
    runs,
    blobs,
    stores: { runs: useCosmos ? "cosmos" : "sqlite", blobs: useBlob ? "azure-blob" : "local" },
    settings,
    log,
    close: async () => {
      await flows.close();
      await runs.close();
    },
  };
}
