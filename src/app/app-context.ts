import path from "node:path";
import { registerEnvironmentSecrets, scrubbingLog } from "../secrets/index.js";
import type { BlobStore } from "../stores/blob-store.js";
import { openStores } from "../stores/open-stores.js";
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
 * Builds the app's context from settings, with the stores openStores selects: Cosmos DB runs or the
 * embedded SQLite store under FLOWOPS_HOME (storeKind: FLOWOPS_STORE, else whether COSMOS_ENDPOINT or,
 * for emulators, COSMOS_CONNECTION_STRING is set), and Blob Storage run blobs when the Functions
 * storage account (`AzureWebJobsStorage` or its identity-based `__blobServiceUri`/`__accountName`) is
 * set, else files under FLOWOPS_HOME.
 */
export async function createAppContext(options: CreateAppContextOptions = {}): Promise<AppContext> {
  const settings = options.settings ?? process.env;
  const flowsDir = options.flowsDir ?? settings["FLOWOPS_FLOWS"] ?? "flows";
  const stores = openStores(settings);
  const runs: RunStore = await stores.runs();
  const { store: blobs, kind: blobKind }: { store: BlobStore; kind: "azure-blob" | "local" } =
    await stores.runBlobs();
  // Settings may hold secrets (storage connection strings, keys): they are scrubbed from every log line.
  registerEnvironmentSecrets(settings);
  const log = scrubbingLog(
    options.log ?? ((level: LogLevel, message: string) => console.error(`[${level}] ${message}`)),
  );
  const flows = new FlowCatalog(path.resolve(flowsDir), settings);
  for (const skipped of flows.skipped) log("warning", `flow not served: ${skipped}`);
  return {
    flows,
    runs,
    blobs,
    stores: { runs: stores.kind === "azure" ? "cosmos" : "sqlite", blobs: blobKind },
    settings,
    log,
    close: async () => {
      await flows.close();
      await runs.close();
    },
  };
}
