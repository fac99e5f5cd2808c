import type { Settings } from "./azure/credentials.js";

/** Where runs, the registry, deployments and request logs live. */
export type StoreKind = "azure" | "local";

/**
 * The one rule every entry point (CLI, deploy, registry, the Functions app and the local host) uses:
 * `FLOWOPS_STORE=azure` → Cosmos DB and Blob Storage; `FLOWOPS_STORE=local` → SQLite and files under
 * FLOWOPS_HOME; unset → `azure` when a Cosmos DB setting (`COSMOS_ENDPOINT`, or `COSMOS_CONNECTION_STRING`
 * for emulators) is present, else `local`.
 */
export function storeKind(settings: NodeJS.ProcessEnv): StoreKind {
  const chosen = settings["FLOWOPS_STORE"]?.trim().toLowerCase();
  if (chosen === "azure" || chosen === "local") return chosen;
  return settings["COSMOS_ENDPOINT"] || settings["COSMOS_CONNECTION_STRING"] ? "azure" : "local";
}

/**
 * Whether the Functions storage account is configured (`AzureWebJobsStorage`, or its identity-based
 * `__blobServiceUri`/`__accountName`): the app keeps its run blobs (requests, chunks, data) there.
 */
export function hasFunctionsStorage(settings: NodeJS.ProcessEnv): boolean {
  return Boolean(
    settings["AzureWebJobsStorage"] ||
      settings["AzureWebJobsStorage__blobServiceUri"] ||
      settings["AzureWebJobsStorage__accountName"],
  );
}

/**
 * Settings for the registry's blob container: the Function App's `AzureWebJobsStorage*` settings when
 * present, else the azd output `AZURE_STORAGE_BLOB_ENDPOINT` (the CLI after `azd env get-values`), in
 * the container `FLOWOPS_REGISTRY_CONTAINER` (default `registry`, created by infra/app/storage.bicep).
 */
export function registryBlobSettings(env: NodeJS.ProcessEnv): Settings {
  const functionsStorage = Object.keys(env).some(
    (key) => key === "AzureWebJobsStorage" || key.startsWith("AzureWebJobsStorage__"),
  );
  const endpoint = env["AZURE_STORAGE_BLOB_ENDPOINT"];
  return {
    ...env,
    ...(!functionsStorage && endpoint
      ? { AzureWebJobsStorage__blobServiceUri: endpoint.replace(/\/$/, "") }
      : {}),
    FLOWOPS_BLOB_CONTAINER: env["FLOWOPS_REGISTRY_CONTAINER"] || "registry",
  };
}
