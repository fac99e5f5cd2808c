import { describe, expect, it } from "vitest";
import { hasFunctionsStorage, storeKind } from "./store-settings.js";

describe("storeKind, the one rule for which stores to open", () => {
  it("follows FLOWOPS_STORE when it is set", () => {
    expect(storeKind({ FLOWOPS_STORE: "azure" })).toBe("azure");
    expect(storeKind({ FLOWOPS_STORE: "local", COSMOS_ENDPOINT: "https://a.documents.azure.com" })).toBe(
      "local",
    );
    expect(storeKind({ FLOWOPS_STORE: " Azure " })).toBe("azure");
  });

  it("without FLOWOPS_STORE, selects Cosmos DB when a Cosmos setting is present", () => {
    expect(storeKind({})).toBe("local");
    expect(storeKind({ FLOWOPS_STORE: "" })).toBe("local");
    expect(storeKind({ COSMOS_ENDPOINT: "https://a.documents.azure.com" })).toBe("azure");
    expect(storeKind({ COSMOS_CONNECTION_STRING: "AccountEndpoint=http://127.0.0.1:1/;AccountKey=x;" })).toBe(
      "azure",
    );
    expect(storeKind({ COSMOS_ENDPOINT: "" })).toBe("local");
  });

  it("sees the Functions storage account in any of its settings", () => {
    expect(hasFunctionsStorage({})).toBe(false);
    expect(hasFunctionsStorage({ AzureWebJobsStorage: "UseDevelopmentStorage=true" })).toBe(true);
    expect(hasFunctionsStorage({ AzureWebJobsStorage__accountName: "acct" })).toBe(true);
  });
});
