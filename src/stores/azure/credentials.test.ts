import { describe, expect, it } from "vitest";
import {
  AzureSettingsError,
  createBlobServiceClient,
  createCosmosClient,
  createQueueServiceClient,
  isEmulatorConnectionString,
} from "./credentials.js";

const AZURITE =
  "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;" +
  "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;";
const CLOUD_SECRET = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
const CLOUD = `DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=${CLOUD_SECRET};EndpointSuffix=core.windows.net`;

describe("emulator connection strings", () => {
  it("are recognised by UseDevelopmentStorage=true or loopback endpoints only", () => {
    expect(isEmulatorConnectionString("UseDevelopmentStorage=true")).toBe(true);
    expect(isEmulatorConnectionString(AZURITE)).toBe(true);
    expect(isEmulatorConnectionString("AccountEndpoint=https://localhost:8081/;AccountKey=a2V5;")).toBe(true);
    expect(isEmulatorConnectionString("AccountEndpoint=https://[::1]:8081/;AccountKey=a2V5;")).toBe(true);
    expect(isEmulatorConnectionString(CLOUD)).toBe(false);
    expect(
      isEmulatorConnectionString("AccountEndpoint=https://prod.documents.azure.com:443/;AccountKey=a2V5;"),
    ).toBe(false);
    // One cloud endpoint among loopback ones is not an emulator.
    expect(isEmulatorConnectionString(`${AZURITE}TableEndpoint=https://prod.table.core.windows.net;`)).toBe(
      false,
    );
  });

  it("build storage clients for Azurite", () => {
    expect(createBlobServiceClient({ AzureWebJobsStorage: AZURITE }).url).toBe(
      "http://127.0.0.1:10000/devstoreaccount1",
    );
    expect(createQueueServiceClient({ AzureWebJobsStorage: "UseDevelopmentStorage=true" }).url).toBe(
      "http://127.0.0.1:10001/devstoreaccount1",
    );
  });

  it("are refused for cloud accounts, without the key in the message", () => {
    for (const create of [
      () => createBlobServiceClient({ AzureWebJobsStorage: CLOUD }),
      () => createQueueServiceClient({ Storage: CLOUD }, "Storage"),
      () =>
        createCosmosClient({
          COSMOS_CONNECTION_STRING: `AccountEndpoint=https://p.documents.azure.com/;AccountKey=${CLOUD_SECRET};`,
        }),
    ]) {
      const error = catchError(create);
      expect(error).toBeInstanceOf(AzureSettingsError);
      expect(error.message).toMatch(/only for local emulators/);
      expect(error.message).not.toContain(CLOUD_SECRET);
    }
  });
});

describe("managed identity settings", () => {
  it("use the Functions host's identity-based connection names", () => {
    expect(
      createBlobServiceClient({ AzureWebJobsStorage__blobServiceUri: "https://acct.blob.core.windows.net" })
        .url,
    ).toMatch(/^https:\/\/acct\.blob\.core\.windows\.net\/?$/);
    expect(createQueueServiceClient({ AzureWebJobsStorage__accountName: "acct" }).url).toMatch(
      /^https:\/\/acct\.queue\.core\.windows\.net\/?$/,
    );
    expect(() =>
      createCosmosClient({
        COSMOS_ENDPOINT: "https://acct.documents.azure.com:443/",
        AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000000",
      }),
    ).not.toThrow();
  });

  it("name the setting to add when nothing is configured", () => {
    expect(() => createBlobServiceClient({})).toThrow(/AzureWebJobsStorage__blobServiceUri: not set/);
    expect(() => createQueueServiceClient({}, "Runs")).toThrow(
      /Runs__queueServiceUri: not set.*Runs__accountName/,
    );
    expect(() => createCosmosClient({})).toThrow(/COSMOS_ENDPOINT: not set.*COSMOS_CONNECTION_STRING/);
  });

  it("refuse an endpoint that is not https", () => {
    expect(() => createCosmosClient({ COSMOS_ENDPOINT: "http://acct.documents.azure.com" })).toThrow(
      /not an https/,
    );
    expect(() => createBlobServiceClient({ AzureWebJobsStorage__blobServiceUri: "acct" })).toThrow(
      AzureSettingsError,
    );
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
