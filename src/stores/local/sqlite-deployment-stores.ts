import { join } from "node:path";
import type Database from "better-sqlite3";
import { flowopsHome } from "../../core/flowops-home.js";
import {
  DeploymentConflictError,
  type DeploymentRecord,
  type DeploymentStore,
  type RequestLogStore,
  type RequestRecord,
} from "../deployment-store.js";
import { openSqlite } from "./open-sqlite.js";

export interface SqliteStoreOptions {
  /** Folder of the store; defaults to `$FLOWOPS_HOME`, then `~/.flowops`. */
  home?: string;
  /** The database file (or `:memory:`). */
  file?: string;
}

function open(file: string, schema: string): Database.Database {
  return openSqlite(file, schema);
}

/** Deployment revisions in `<home>/deployments.db`, one row per (endpoint, revision). */
export class SqliteDeploymentStore implements DeploymentStore {
  readonly file: string;
  private readonly db: Database.Database;

  constructor(options: SqliteStoreOptions = {}) {
    this.file = options.file ?? join(options.home ?? flowopsHome(), "deployments.db");
    this.db = open(
      this.file,
      `CREATE TABLE IF NOT EXISTS revisions (
        endpoint TEXT NOT NULL, revision INTEGER NOT NULL, record TEXT NOT NULL,
        PRIMARY KEY (endpoint, revision)) WITHOUT ROWID;`,
    );
  }

  async current(endpoint: string): Promise<DeploymentRecord | undefined> {
    const row = this.db
      .prepare<[string], { record: string }>(
        "SELECT record FROM revisions WHERE endpoint = ? ORDER BY revision DESC LIMIT 1",
      )
      .get(endpoint);
    return row ? (JSON.parse(row.record) as DeploymentRecord) : undefined;
  }

  async history(endpoint: string): Promise<DeploymentRecord[]> {
    return this.db
      .prepare<[string], { record: string }>(
        "SELECT record FROM revisions WHERE endpoint = ? ORDER BY revision",
      )
      .all(endpoint)
      .map((row) => JSON.parse(row.record) as DeploymentRecord);
  }

  async append(
    record: Omit<DeploymentRecord, "revision">,
    expectedRevision: number,
  ): Promise<DeploymentRecord> {
    const write = this.db.transaction(() => {
      const row = this.db
        .prepare<[string], { max: number | null }>(
          "SELECT MAX(revision) AS max FROM revisions WHERE endpoint = ?",
        )
        .get(record.endpoint);
      const latest = row?.max ?? 0;
      if (latest !== expectedRevision)
        throw new DeploymentConflictError(record.endpoint, expectedRevision, latest);
      const stored: DeploymentRecord = { ...record, revision: latest + 1 };
      this.db
        .prepare("INSERT INTO revisions (endpoint, revision, record) VALUES (?, ?, ?)")
        .run(record.endpoint, stored.revision, JSON.stringify(stored));
      return stored;
    });
    return write.immediate();
  }

  async listEndpoints(): Promise<string[]> {
    return this.db
      .prepare<[], { endpoint: string }>("SELECT DISTINCT endpoint FROM revisions ORDER BY endpoint")
      .all()
      .map((row) => row.endpoint);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The production request log in `<home>/requests.db`, indexed by (endpoint, timestamp). */
export class SqliteRequestLogStore implements RequestLogStore {
  readonly file: string;
  private readonly db: Database.Database;

  constructor(options: SqliteStoreOptions = {}) {
    this.file = options.file ?? join(options.home ?? flowopsHome(), "requests.db");
    this.db = open(
      this.file,
      `CREATE TABLE IF NOT EXISTS requests (
        endpoint TEXT NOT NULL, timestamp TEXT NOT NULL, id TEXT NOT NULL, record TEXT NOT NULL,
        PRIMARY KEY (endpoint, timestamp, id)) WITHOUT ROWID;`,
    );
  }

  async append(record: RequestRecord): Promise<void> {
    this.db
      .prepare("INSERT OR REPLACE INTO requests (endpoint, timestamp, id, record) VALUES (?, ?, ?, ?)")
      .run(record.endpoint, record.timestamp, record.id, JSON.stringify(record));
  }

  async list(
    endpoint: string,
    options: { since?: string; until?: string; limit?: number } = {},
  ): Promise<RequestRecord[]> {
    return this.db
      .prepare<Record<string, unknown>, { record: string }>(
        "SELECT record FROM requests WHERE endpoint = @endpoint AND timestamp >= @since AND timestamp < @until " +
          "ORDER BY timestamp, id LIMIT @limit",
      )
      .all({
        endpoint,
        since: options.since ?? "",
        until: options.until ?? "\uffff",
        limit: options.limit ?? -1,
      })
      .map((row) => JSON.parse(row.record) as RequestRecord);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
