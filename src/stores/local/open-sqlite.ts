import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

/**
 * Opens (creating its folder) one of the local stores' SQLite files with the pragmas they all use:
 * WAL (readers never block the writer), `synchronous` NORMAL by default (every committed transaction
 * survives a process crash; FULL also a power loss), a 5 s busy timeout for other processes' writes,
 * then runs the store's schema.
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
  db.exec(schema);
  return db;
}
