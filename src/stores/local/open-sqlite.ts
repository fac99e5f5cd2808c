import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

/**
 * SQLite's page cache per connection, in KiB (a negative `cache_size`): SQLite's own default, 2 MB.
 * better-sqlite3 builds SQLite with 16 MB instead, which a batch run fills with the pages of the lines it
 * writes and reads back, so the process's memory grew with the size of the run (~0.7 KB per line up to
 * 16 MB; bench/README.md, "Memory"). Line writes append at the end of one B-tree and reads are keyset
 * pages, so a small cache costs them nothing measurable; the OS page cache still holds the file.
 */
export const PAGE_CACHE_KIB = 2000;

/**
 * Opens (creating its folder) one of the local stores' SQLite files with the pragmas they all use:
 * WAL (readers never block the writer), `synchronous` NORMAL by default (every committed transaction
 * survives a process crash; FULL also a power loss), a 5 s busy timeout for other processes' writes,
 * a bounded page cache (PAGE_CACHE_KIB), then runs the store's schema.
 */
export function openSqlite(
  file: string,
  schema: string,
  options: { synchronous?: "NORMAL" | "FULL" } = {},
): Database.Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
  db.pragma("busy_timeout = 5000");
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  db.exec(schema);
  return db;
}
