import type { Settings } from "../stores/azure/credentials.js";

/** `FLOWOPS_STORE=azure`: the registry, deployments and request logs live in Cosmos DB and Blob Storage. */
export function usesAzureStores(env: NodeJS.ProcessEnv): boolean {
  return env["FLOWOPS_STORE"] === "azure";
}

/**
 * Settings for the registry's blob container: the Function App's `AzureWebJobsStorage*` settings when
 * present, else the azd output `AZURE_STORAGE_BLOB_ENDPOINT` (the CLI after `azd env get-values`), in
 * the container `FLOWOPS_REGISTRY_CONTAINER` (default `registry`, created by infra/app/storage.bicep).
 */
export function registryBlobSettings(env: NodeJS.ProcessEnv): Settings {
  const hasFunctionsStorage = Object.keys(env).some(
    (key) => key === "AzureWebJobsStorage" || key.startsWith("AzureWebJobsStorage__"),
  );
  const endpoint = env["AZURE_STORAGE_BLOB_ENDPOINT"];
  return {
    ...env,
    ...(!hasFunctionsStorage && endpoint
      ? { AzureWebJobsStorage__blobServiceUri: endpoint.replace(/\/$/, "") }
      : {}),
    FLOWOPS_BLOB_CONTAINER: env["FLOWOPS_REGISTRY_CONTAINER"] || "registry",
  };
}
