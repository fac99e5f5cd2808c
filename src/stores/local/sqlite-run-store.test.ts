import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeRunStoreContract } from "../../../tests/support/run-store-contract.js";
import { flowopsHome } from "../../core/flowops-home.js";
import { openSqliteRunStore } from "./sqlite-run-store.js";

describeRunStoreContract("SQLite", async () => {
  const home = mkdtempSync(join(tmpdir(), "flowops-store-"));
  return {
    open: async () => openSqliteRunStore({ home }),
    cleanup: async () => rmSync(home, { recursive: true, force: true }),
  };
});

describe("SQLite run store", () => {
  it("lives in runs.db under FLOWOPS_HOME, or ~/.flowops", () => {
    expect(flowopsHome({ FLOWOPS_HOME: "/data/flowops" })).toBe("/data/flowops");
    expect(flowopsHome({})).toMatch(/\.flowops$/);
    const home = mkdtempSync(join(tmpdir(), "flowops-store-"));
    const store = openSqliteRunStore({ home });
    expect(store.file).toBe(join(home, "runs.db"));
    void store.close();
    rmSync(home, { recursive: true, force: true });
  });
});
