import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeBlobStoreContract } from "../../../tests/support/blob-store-contract.js";
import { BlobKeyError } from "../blob-store.js";
import { openLocalBlobStore } from "./local-blob-store.js";

const homes: string[] = [];
const newHome = () => {
  const home = mkdtempSync(join(tmpdir(), "flowops-blobs-"));
  homes.push(home);
  return home;
};
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

describeBlobStoreContract("local files", async () => openLocalBlobStore({ home: newHome() }));

describe("local blob store", () => {
  it("keeps each blob as a plain file under <home>/blobs", async () => {
    const home = newHome();
    const store = openLocalBlobStore({ home });
    await store.put("reports/r1/index.html", "<h1>r1</h1>", { contentType: "text/html" });
    expect(readFileSync(join(home, "blobs", "reports", "r1", "index.html"), "utf8")).toBe("<h1>r1</h1>");
    expect(store.root).toBe(join(home, "blobs"));
  });

  it("refuses a key that is both a blob and a folder of blobs", async () => {
    const store = openLocalBlobStore({ home: newHome() });
    await store.put("a/b", "x");
    await expect(store.put("a", "y")).rejects.toBeInstanceOf(BlobKeyError);
    await expect(store.put("a/b/c", "y")).rejects.toBeInstanceOf(BlobKeyError);
    expect((await store.get("a/b"))?.toString()).toBe("x");
  });
});
