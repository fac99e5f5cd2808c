import { CosmosClient } from "@azure/cosmos";
import type { TokenCredential } from "@azure/identity";
import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { UserError } from "../../core/errors.js";

/**
 * How flowops reaches Azure: connection strings only for local emulators (Azurite, a Cosmos DB
 * emulator), Entra ID everywhere else (`DefaultAzureCredential`: managed identity in Azure, the
 * developer's `az login` on a workstation). Settings follow the Functions host's names, so one
 * `local.settings.json` / app settings list serves both.
 */
export type Settings = Readonly<Record<string, string | undefined>>;

/** A missing, keyed or malformed Azure setting. The message names the setting and the fix, never its value. */
export class AzureSettingsError extends UserError {
  constructor(setting: string, message: string) {
    super("AzureSettings", `${setting}: ${message}`, { field: setting });
  }
}

/** The Functions host's default storage connection name. */
export const DEFAULT_STORAGE_CONNECTION = "AzureWebJobsStorage";

/** True for a storage or Cosmos DB connection string that points at a local emulator. */
export function isEmulatorConnectionString(connectionString: string): boolean {
  const parts = parseConnectionString(connectionString);
  if (parts.get("usedevelopmentstorage")?.toLowerCase() === "true") return true;
  const endpoints = ["accountendpoint", "blobendpoint", "queueendpoint", "tableendpoint"]
    .map((name) => parts.get(name))
    .filter((value): value is string => value !== undefined);
  return endpoints.length > 0 && endpoints.every(isLoopbackUrl);
}

/**
 * The credential for every Azure client: `DefaultAzureCredential`, using the user-assigned managed
 * identity named by `<connection>__clientId` or `AZURE_CLIENT_ID` when one is set.
 */
export function createAzureCredential(
  settings: Settings = process.env,
  connection?: string,
): TokenCredential {
  const clientId = (connection && settings[`${connection}__clientId`]) || settings["AZURE_CLIENT_ID"];
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
}

/**
 * A Cosmos DB client from `COSMOS_CONNECTION_STRING` (emulators only) or `COSMOS_ENDPOINT` (Entra ID).
 * A Cosmos DB emulator serves a self-signed certificate: trust it with `NODE_EXTRA_CA_CERTS`.
 */
export function createCosmosClient(settings: Settings = process.env): CosmosClient {
  const connectionString = settings["COSMOS_CONNECTION_STRING"];
  if (connectionString) {
    requireEmulator("COSMOS_CONNECTION_STRING", connectionString, "COSMOS_ENDPOINT");
    return new CosmosClient(connectionString);
  }
  const endpoint = settings["COSMOS_ENDPOINT"];
  if (!endpoint) {
    throw new AzureSettingsError(
      "COSMOS_ENDPOINT",
      "not set. Set it to the account's endpoint (https://<account>.documents.azure.com:443/) and grant the " +
        "app's identity the 'Cosmos DB Built-in Data Contributor' role; for an emulator set " +
        "COSMOS_CONNECTION_STRING instead.",
    );
  }
  return new CosmosClient({
    endpoint: requireUrl("COSMOS_ENDPOINT", endpoint),
    aadCredentials: createAzureCredential(settings),
  });
}

/**
 * A Blob service client for a Functions-style connection: `<connection>` as a connection string
 * (emulators only: `UseDevelopmentStorage=true` or loopback endpoints), otherwise
 * `<connection>__blobServiceUri` or `<connection>__accountName` with Entra ID.
 */
export function createBlobServiceClient(
  settings: Settings = process.env,
  connection: string = DEFAULT_STORAGE_CONNECTION,
): BlobServiceClient {
  const connectionString = settings[connection];
  if (connectionString) {
    requireEmulator(connection, connectionString, `${connection}__blobServiceUri`);
    return BlobServiceClient.fromConnectionString(connectionString);
  }
  const url = storageServiceUrl(settings, connection, "blob");
  return new BlobServiceClient(url, createAzureCredential(settings, connection));
}

/** A Queue service client for a Functions-style connection; same rules as createBlobServiceClient. */
export function createQueueServiceClient(
  settings: Settings = process.env,
  connection: string = DEFAULT_STORAGE_CONNECTION,
): QueueServiceClient {
  const connectionString = settings[connection];
  if (connectionString) {
    requireEmulator(connection, connectionString, `${connection}__queueServiceUri`);
    return QueueServiceClient.fromConnectionString(connectionString);
  }
  const url = storageServiceUrl(settings, connection, "queue");
  return new QueueServiceClient(url, createAzureCredential(settings, connection));
}

function storageServiceUrl(settings: Settings, connection: string, service: "blob" | "queue"): string {
  const setting = `${connection}__${service}ServiceUri`;
  const uri = settings[setting];
  if (uri) return requireUrl(setting, uri);
  const account = settings[`${connection}__accountName`];
  if (account) return `https://${account}.${service}.core.windows.net`;
  throw new AzureSettingsError(
    setting,
    `not set. Set ${setting} (https://<account>.${service}.core.windows.net) or ${connection}__accountName, and ` +
      `grant the app's identity the 'Storage ${service === "blob" ? "Blob" : "Queue"} Data Contributor' role; ` +
      `for Azurite set ${connection}=UseDevelopmentStorage=true.`,
  );
}

function requireEmulator(setting: string, connectionString: string, identitySetting: string): void {
  if (isEmulatorConnectionString(connectionString)) return;
  throw new AzureSettingsError(
    setting,
    "holds a connection string for a cloud account. flowops accepts connection strings only for local " +
      `emulators; in Azure remove it and set ${identitySetting} so the app signs in with its managed identity ` +
      "(no keys in settings).",
  );
}

function requireUrl(setting: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackUrl(value))) return value;
  } catch {
    // reported below
  }
  throw new AzureSettingsError(setting, "is not an https:// URL. Set it to the service's endpoint URL.");
}

function parseConnectionString(connectionString: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const equals = part.indexOf("=");
    if (equals > 0) parts.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  return parts;
}

function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
