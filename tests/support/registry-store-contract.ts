import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRegistry } from "../../src/registry/registry.js";
import type { BlobStore } from "../../src/stores/blob-store.js";
import {
  AssetNotFoundError,
  type NewAssetVersion,
  type RegistryStore,
} from "../../src/stores/registry-store.js";

/** The storage behind a registry under test; `open()` again must show the same data. */
export interface RegistryStoreFixture {
  open(): Promise<{ store: RegistryStore; blobs: BlobStore }>;
  cleanup(): Promise<void>;
}

const NER_FLOW = path.resolve(import.meta.dirname, "../../flows/named-entity-recognition");

function entry(name: string, hash: string, kind: "flow" | "data" = "flow"): NewAssetVersion {
  return {
    kind,
    name,
    hash,
    files: 1,
    size: 10,
    created_on: "2024-05-01T10:00:00.000Z",
    created_by: "tester",
  };
}

/** One behaviour suite for every RegistryStore adapter, with the registry on top of its BlobStore. */
export function describeRegistryStoreContract(
  label: string,
  createFixture: () => Promise<RegistryStoreFixture>,
): void {
  describe(`RegistryStore contract: ${label}`, () => {
    let fixture: RegistryStoreFixture;
    let store: RegistryStore;
    let blobs: BlobStore;

    beforeEach(async () => {
      fixture = await createFixture();
      ({ store, blobs } = await fixture.open());
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it("numbers versions 1, 2, ... and returns the existing version for known content", async () => {
      const first = await store.registerVersion(entry("ner", "a".repeat(64)));
      const second = await store.registerVersion(entry("ner", "b".repeat(64)));
      const again = await store.registerVersion(entry("ner", "a".repeat(64)));
      expect([first.created, second.created, again.created]).toEqual([true, true, false]);
      expect([first.version.version, second.version.version, again.version.version]).toEqual([1, 2, 1]);
      expect(await store.findByHash("flow", "ner", "b".repeat(64))).toMatchObject({ version: 2 });
      expect(await store.getVersion("flow", "ner", 3)).toBeUndefined();
    });

    it("keeps kinds and names apart, and lists by name then version", async () => {
      await store.registerVersion(entry("zeta", "1".repeat(64)));
      await store.registerVersion(entry("alpha", "2".repeat(64)));
      await store.registerVersion(entry("alpha", "3".repeat(64)));
      await store.registerVersion(entry("alpha", "2".repeat(64), "data"));
      expect((await store.listVersions("flow")).map((v) => `${v.name}:${v.version}`)).toEqual([
        "alpha:1",
        "alpha:2",
        "zeta:1",
      ]);
      expect((await store.listVersions("data")).map((v) => `${v.name}:${v.version}`)).toEqual(["alpha:1"]);
      expect((await store.listVersions("flow", "zeta")).map((v) => v.hash)).toEqual(["1".repeat(64)]);
    });

    it("gives one content one version even when registrations race", async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.registerVersion(entry("race", "c".repeat(64)))),
      );
      expect(new Set(results.map((r) => r.version.version))).toEqual(new Set([1]));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const distinct = await Promise.all(
        ["d", "e", "f", "0"].map((c) => store.registerVersion(entry("race", c.repeat(64)))),
      );
      expect(distinct.map((r) => r.version.version).sort()).toEqual([2, 3, 4, 5]);
      expect(await store.listVersions("flow", "race")).toHaveLength(5);
    });

    it("moves labels, never versions, and refuses a label on a missing version", async () => {
      await store.registerVersion(entry("ner", "a".repeat(64)));
      await store.registerVersion(entry("ner", "b".repeat(64)));
      await store.setLabel("flow", "ner", "production", 1, "alice");
      await store.setLabel("flow", "ner", "candidate", 2, "alice");
      await store.setLabel("flow", "ner", "production", 2, "bob");
      const labels = await store.getLabels("flow", "ner");
      expect(labels.map((l) => [l.label, l.version, l.updated_by])).toEqual([
        ["candidate", 2, "alice"],
        ["production", 2, "bob"],
      ]);
      expect(await store.getVersion("flow", "ner", 1)).toMatchObject({ hash: "a".repeat(64) });
      await expect(store.setLabel("flow", "ner", "production", 9, "bob")).rejects.toBeInstanceOf(
        AssetNotFoundError,
      );
    });

    it("keeps versions and labels across a reopen", async () => {
      await store.registerVersion({ ...entry("ner", "a".repeat(64)), tags: { commit: "abc" } });
      await store.setLabel("flow", "ner", "production", 1, "alice");
      await store.close();
      ({ store, blobs } = await fixture.open());
      expect(await store.getVersion("flow", "ner", 1)).toMatchObject({ tags: { commit: "abc" } });
      expect((await store.getLabels("flow", "ner"))[0]).toMatchObject({ label: "production", version: 1 });
    });

    it("registers a flow folder, skips unchanged content, and downloads it byte for byte", async () => {
      const work = await mkdtemp(path.join(tmpdir(), "flowops-registry-"));
      try {
        const flow = path.join(work, "ner");
        await cp(NER_FLOW, flow, { recursive: true });
        const registry = createRegistry({ store, blobs, env: { FLOWOPS_USER: "ci-bot" } });
        const first = await registry.registerFlow(flow, { name: "ner", tags: { commit: "abc" } });
        expect(first).toMatchObject({ name: "ner", version: 1, created: true });
        expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(await registry.registerFlow(flow, { name: "ner" })).toEqual({ ...first, created: false });

        await writeFile(path.join(flow, "NER_LLM_variant_0.jinja2"), "system:\nChanged prompt.\n");
        const second = await registry.registerFlow(flow, { name: "ner" });
        expect(second).toMatchObject({ version: 2, created: true });
        expect(second.hash).not.toBe(first.hash);

        const out = path.join(work, "downloaded");
        const { version } = await registry.download("flow", "ner:1", out);
        expect(version).toMatchObject({ version: 1, created_by: "ci-bot", tags: { commit: "abc" } });
        const original = await readdir(NER_FLOW, { recursive: true });
        const copied = await readdir(out, { recursive: true });
        expect(copied.sort()).toEqual(original.sort());
        for (const name of ["flow.dag.yaml", "NER_LLM_variant_0.jinja2", "cleansing.ts"]) {
          expect(await readFile(path.join(out, name))).toEqual(await readFile(path.join(NER_FLOW, name)));
        }
        expect((await registry.show("flow", "ner")).version).toBe(2);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });

    it("refuses a download whose manifest or file was changed after registration, writing nothing", async () => {
      const work = await mkdtemp(path.join(tmpdir(), "flowops-registry-"));
      try {
        const registry = createRegistry({ store, blobs, env: { FLOWOPS_USER: "ci-bot" } });
        const { hash } = await registry.registerFlow(NER_FLOW, { name: "ner" });
        const manifest = (await blobs.get(`registry/manifests/${hash}`))!.toString("utf8");

        // A file's bytes replaced under its content address.
        const [firstLine] = manifest.split("\n");
        const fileHash = firstLine!.slice(0, 64);
        const original = (await blobs.get(`registry/files/${fileHash}`))!;
        await blobs.put(
          `registry/files/${fileHash}`,
          Buffer.concat([original, Buffer.from("\n// injected")]),
        );
        const afterFile = path.join(work, "after-file");
        await expect(registry.download("flow", "ner:1", afterFile)).rejects.toMatchObject({
          code: "RegistryFileTampered",
        });
        await expect(stat(afterFile)).rejects.toMatchObject({ code: "ENOENT" });
        await blobs.put(`registry/files/${fileHash}`, original);

        // The manifest rewritten to point a path at other (self-consistent) content.
        const evil = Buffer.from("malicious();\n");
        const evilHash = createHash("sha256").update(evil).digest("hex");
        await blobs.put("registry/files", evil, { contentAddressed: true });
        const swapped = manifest.replace(
          /^[0-9a-f]{64} {2}\d+ {2}flow\.dag\.yaml$/m,
          `${evilHash}  ${evil.length}  flow.dag.yaml`,
        );
        expect(swapped).not.toBe(manifest);
        await blobs.put(`registry/manifests/${hash}`, swapped);
        const afterManifest = path.join(work, "after-manifest");
        await expect(registry.download("flow", "ner:1", afterManifest)).rejects.toMatchObject({
          code: "RegistryManifestTampered",
          message: expect.stringContaining("flow ner:1"),
        });
        await expect(stat(afterManifest)).rejects.toMatchObject({ code: "ENOENT" });
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });

    it("rejects manifest entries with '..', absolute paths or backslashes, writing nothing outside", async () => {
      const work = await mkdtemp(path.join(tmpdir(), "flowops-registry-"));
      try {
        const registry = createRegistry({ store, blobs });
        const bytes = Buffer.from("pwned\n");
        const fileHash = createHash("sha256").update(bytes).digest("hex");
        await blobs.put("registry/files", bytes, { contentAddressed: true });
        const cases = ["../escaped.txt", "a/../../escaped.txt", "/tmp/escaped.txt", "..\\escaped.txt"];
        for (const [index, entryPath] of cases.entries()) {
          // A version whose manifest hash matches: only the entry path is hostile.
          const text = `${fileHash}  ${bytes.length}  ok.txt\n${fileHash}  ${bytes.length}  ${entryPath}\n`;
          const manifestHash = createHash("sha256").update(text).digest("hex");
          await blobs.put("registry/manifests", text, { contentAddressed: true });
          await store.registerVersion({ ...entry(`hostile${index}`, manifestHash), files: 2 });
          const out = path.join(work, "nested", `out${index}`);
          await expect(registry.download("flow", `hostile${index}:1`, out), entryPath).rejects.toMatchObject({
            code: "RegistryManifestUnsafe",
          });
          await expect(stat(out)).rejects.toMatchObject({ code: "ENOENT" });
        }
        expect(await readdir(work, { recursive: true })).not.toContain("escaped.txt");
        expect((await readdir(path.join(work, "nested"))).filter((name) => name.includes("partial"))).toEqual(
          [],
        );
        await expect(stat("/tmp/escaped.txt")).rejects.toMatchObject({ code: "ENOENT" });
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
  });
}
