import { join } from "node:path";
import type Database from "better-sqlite3";
import { flowopsHome } from "../../core/flowops-home.js";
import {
  type AssetKind,
  type AssetLabel,
  AssetNotFoundError,
  type AssetVersion,
  type NewAssetVersion,
  type RegistryStore,
} from "../registry-store.js";
import { openSqlite } from "./open-sqlite.js";

export interface SqliteRegistryStoreOptions {
  /** Folder of the store; defaults to `$FLOWOPS_HOME`, then `~/.flowops`. */
  home?: string;
  /** The database file (or `:memory:`); defaults to `<home>/registry.db`. */
  file?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (kind, name, version),
  UNIQUE (kind, name, hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS labels (
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (kind, name, label)
) WITHOUT ROWID;
`;

/**
 * The local registry store: version records and labels in one SQLite database. Registration is one
 * immediate transaction (hash lookup, next version, insert), so two processes registering the same
 * content get one version; the UNIQUE (kind, name, hash) constraint backs that up.
 */
export class SqliteRegistryStore implements RegistryStore {
  readonly file: string;
  private readonly db: Database.Database;

  constructor(options: SqliteRegistryStoreOptions = {}) {
    this.file = options.file ?? join(options.home ?? flowopsHome(), "registry.db");
    this.db = openSqlite(this.file, SCHEMA);
  }

  async registerVersion(entry: NewAssetVersion): Promise<{ version: AssetVersion; created: boolean }> {
    const register = this.db.transaction(() => {
      const existing = this.findByHashSync(entry.kind, entry.name, entry.hash);
      if (existing) return { version: existing, created: false };
      const row = this.db
        .prepare<[string, string], { max: number | null }>(
          "SELECT MAX(version) AS max FROM versions WHERE kind = ? AND name = ?",
        )
        .get(entry.kind, entry.name);
      const version: AssetVersion = { ...entry, version: (row?.max ?? 0) + 1 };
      this.db
        .prepare("INSERT INTO versions (kind, name, version, hash, record) VALUES (?, ?, ?, ?, ?)")
        .run(entry.kind, entry.name, version.version, entry.hash, JSON.stringify(version));
      return { version, created: true };
    });
    return register.immediate();
  }

  async getVersion(kind: AssetKind, name: string, version: number): Promise<AssetVersion | undefined> {
    const row = this.db
      .prepare<[string, string, number], { record: string }>(
        "SELECT record FROM versions WHERE kind = ? AND name = ? AND version = ?",
      )
      .get(kind, name, version);
    return row ? (JSON.parse(row.record) as AssetVersion) : undefined;
  }

  async findByHash(kind: AssetKind, name: string, hash: string): Promise<AssetVersion | undefined> {
    return this.findByHashSync(kind, name, hash);
  }

  async listVersions(kind: AssetKind, name?: string): Promise<AssetVersion[]> {
    const rows = this.db
      .prepare<Record<string, unknown>, { record: string }>(
        `SELECT record FROM versions WHERE kind = @kind ${name === undefined ? "" : "AND name = @name"} ORDER BY name, version`,
      )
      .all({ kind, name });
    return rows.map((row) => JSON.parse(row.record) as AssetVersion);
  }

  async setLabel(
    kind: AssetKind,
    name: string,
    label: string,
    version: number,
    by: string,
  ): Promise<AssetLabel> {
    if (!(await this.getVersion(kind, name, version)))
      throw new AssetNotFoundError(kind, `${name}:${version}`);
    const record: AssetLabel = { label, version, updated_on: new Date().toISOString(), updated_by: by };
    this.db
      .prepare("INSERT OR REPLACE INTO labels (kind, name, label, record) VALUES (?, ?, ?, ?)")
      .run(kind, name, label, JSON.stringify(record));
    return record;
  }

  async getLabels(kind: AssetKind, name: string): Promise<AssetLabel[]> {
    const rows = this.db
      .prepare<[string, string], { record: string }>(
        "SELECT record FROM labels WHERE kind = ? AND name = ? ORDER BY label",
      )
      .all(kind, name);
    return rows.map((row) => JSON.parse(row.record) as AssetLabel);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private findByHashSync(kind: AssetKind, name: string, hash: string): AssetVersion | undefined {
    const row = this.db
      .prepare<[string, string, string], { record: string }>(
        "SELECT record FROM versions WHERE kind = ? AND name = ? AND hash = ?",
      )
      .get(kind, name, hash);
    return row ? (JSON.parse(row.record) as AssetVersion) : undefined;
  }
}

/** Opens (creating if needed) the local registry store. */
export function openSqliteRegistryStore(options: SqliteRegistryStoreOptions = {}): SqliteRegistryStore {
  return new SqliteRegistryStore(options);
}
