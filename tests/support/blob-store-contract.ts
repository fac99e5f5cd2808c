import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { BlobKeyError, type BlobStore } from "../../src/stores/blob-store.js";

/**
 * One behaviour suite for every BlobStore adapter (local files, Azure Blob Storage). `createStore`
 * returns an empty store for each test.
 */
export function describeBlobStoreContract(label: string, createStore: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${label}`, () => {
    let store: BlobStore;

    beforeEach(async () => {
      store = await createStore();
    });

    it("puts, gets, replaces and deletes a blob", async () => {
      const info = await store.put("reports/r1/index.html", "<h1>r1</h1>", { contentType: "text/html" });
      expect(info).toMatchObject({ key: "reports/r1/index.html", size: 11, contentType: "text/html" });
      expect((await store.get("reports/r1/index.html"))?.toString("utf8")).toBe("<h1>r1</h1>");
      expect(await store.exists("reports/r1/index.html")).toBe(true);

      await store.put("reports/r1/index.html", "<h1>second</h1>");
      expect((await store.get("reports/r1/index.html"))?.toString("utf8")).toBe("<h1>second</h1>");

      expect(await store.delete("reports/r1/index.html")).toBe(true);
      expect(await store.get("reports/r1/index.html")).toBeUndefined();
      expect(await store.exists("reports/r1/index.html")).toBe(false);
      expect(await store.delete("reports/r1/index.html")).toBe(false);
    });

    it("keeps bytes exactly (binary, empty, unicode)", async () => {
      const binary = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
      await store.put("payloads/bin", binary);
      expect(new Uint8Array((await store.get("payloads/bin")) as Buffer)).toEqual(binary);
      await store.put("payloads/empty", "");
      expect((await store.get("payloads/empty"))?.length).toBe(0);
      expect(await store.exists("payloads/empty")).toBe(true);
      await store.put("payloads/ünï cødé.txt", "héllo ✓");
      expect((await store.get("payloads/ünï cødé.txt"))?.toString("utf8")).toBe("héllo ✓");
    });

    it("answers undefined/false for a blob that is not there", async () => {
      expect(await store.get("nothing/here")).toBeUndefined();
      expect(await store.exists("nothing/here")).toBe(false);
      expect(await store.list("nothing/")).toEqual([]);
    });

    it("lists by plain string prefix, sorted by key, with sizes", async () => {
      for (const key of [
        "snapshots/b/data.jsonl",
        "snapshots/a/data.jsonl",
        "snapshots/a/extra.csv",
        "snapshotsX/c",
      ]) {
        await store.put(key, key);
      }
      await store.put("reports/r1/index.html", "x");
      const all = await store.list();
      expect(all.map((b) => b.key)).toEqual([
        "reports/r1/index.html",
        "snapshots/a/data.jsonl",
        "snapshots/a/extra.csv",
        "snapshots/b/data.jsonl",
        "snapshotsX/c",
      ]);
      expect((await store.list("snapshots/")).map((b) => b.key)).toEqual([
        "snapshots/a/data.jsonl",
        "snapshots/a/extra.csv",
        "snapshots/b/data.jsonl",
      ]);
      expect((await store.list("snapshots/a/d")).map((b) => [b.key, b.size])).toEqual([
        ["snapshots/a/data.jsonl", "snapshots/a/data.jsonl".length],
      ]);
      expect((await store.list("snap")).length).toBe(4);
    });

    it("stores content-addressed blobs once, under their sha256", async () => {
      const body = JSON.stringify({ flow: "qna", nodes: 3 });
      const sha = createHash("sha256").update(body).digest("hex");
      const first = await store.put("packages/qna", body, {
        contentAddressed: true,
        contentType: "application/json",
      });
      expect(first.key).toBe(`packages/qna/${sha}`);
      const second = await store.put("packages/qna", body, { contentAddressed: true });
      expect(second.key).toBe(first.key);
      const other = await store.put("packages/qna", `${body} `, { contentAddressed: true });
      expect(other.key).not.toBe(first.key);
      expect((await store.get(first.key))?.toString("utf8")).toBe(body);
      expect((await store.list("packages/qna/")).length).toBe(2);
    });

    it("rejects keys that would not mean the same thing everywhere", async () => {
      for (const key of ["", "/abs", "a//b", "../escape", "a/./b", "a/../b", "trailing/", "back\\slash"]) {
        await expect(store.put(key, "x"), key).rejects.toBeInstanceOf(BlobKeyError);
      }
      await expect(store.get("../../etc/passwd")).rejects.toBeInstanceOf(BlobKeyError);
    });
  });
}
