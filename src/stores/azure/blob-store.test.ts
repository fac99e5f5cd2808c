import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzuriteInstance, startAzurite } from "../../../tests/support/azurite.js";
import { describeBlobStoreContract } from "../../../tests/support/blob-store-contract.js";
import { type AzureBlobStore, openAzureBlobStore } from "./blob-store.js";

let azurite: AzuriteInstance;
let containers = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

/** A store on a fresh container, built from settings as the app builds it. */
async function newStore(): Promise<AzureBlobStore> {
  const settings = {
    AzureWebJobsStorage: azurite.connectionString,
    FLOWOPS_BLOB_CONTAINER: `blobs-${++containers}`,
  };
  return openAzureBlobStore(settings).ensureContainer();
}

describeBlobStoreContract("Azure Blob Storage (Azurite)", newStore);

describe("Azure blob store", () => {
  it("uses the container named by FLOWOPS_BLOB_CONTAINER, default 'flowops'", () => {
    const settings = { AzureWebJobsStorage: azurite.connectionString };
    expect(openAzureBlobStore(settings).container.containerName).toBe("flowops");
  });

  it("stores the content type on the blob itself", async () => {
    const store = await newStore();
    await store.put("reports/r1/index.html", "<p>x</p>", { contentType: "text/html; charset=utf-8" });
    const properties = await store.container.getBlobClient("reports/r1/index.html").getProperties();
    expect(properties.contentType).toBe("text/html; charset=utf-8");
    expect(properties.contentLength).toBe(8);
  });

  it("never overwrites a content-addressed blob, even when another writer raced it", async () => {
    const store = await newStore();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.put("packages/qna", "same bytes", { contentAddressed: true })),
    );
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect((await store.list("packages/")).length).toBe(1);
  });
});
