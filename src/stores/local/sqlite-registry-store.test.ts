import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeRegistryStoreContract } from "../../../tests/support/registry-store-contract.js";
import { openLocalBlobStore } from "./local-blob-store.js";
import { openSqliteRegistryStore } from "./sqlite-registry-store.js";

describeRegistryStoreContract("SQLite + local blobs", async () => {
  const home = mkdtempSync(join(tmpdir(), "flowops-registry-store-"));
  return {
    open: async () => ({ store: openSqliteRegistryStore({ home }), blobs: openLocalBlobStore({ home }) }),
    cleanup: async () => rmSync(home, { recursive: true, force: true }),
  };
});
