import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite, PAGE_CACHE_KIB } from "./open-sqlite.js";

let folder: string | undefined;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

describe("openSqlite", () => {
  it("opens in WAL mode with a page cache bounded to SQLite's own default, not better-sqlite3's 16 MB", () => {
    folder = mkdtempSync(join(tmpdir(), "flowops-sqlite-"));
    const db = openSqlite(join(folder, "nested", "store.db"), "CREATE TABLE t (x INTEGER);");
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("cache_size", { simple: true })).toBe(-PAGE_CACHE_KIB);
      expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(2000);
      db.prepare("INSERT INTO t VALUES (1)").run();
      expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});
