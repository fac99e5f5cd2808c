import { join } from "node:path";
import type Database from "better-sqlite3";
import { flowopsHome } from "../../core/flowops-home.js";
import { ConcurrencyConflictError, RunExistsError, RunNotFoundError } from "../errors.js";
import type { LineRecord, ListRunsOptions, RunRecord, RunStore } from "../run-store.js";
import { openSqlite } from "./open-sqlite.js";

export interface SqliteRunStoreOptions {
  /** Folder of the store; defaults to `$FLOWOPS_HOME`, then `~/.flowops`. */
  home?: string;
  /** The database file (or `:memory:`); defaults to `<home>/runs.db`. */
  file?: string;
  /**
   * SQLite `synchronous` level. `NORMAL` (default, with WAL) keeps every committed line across a
   * process crash (`kill -9`); `FULL` also across a power loss, at one fsync per line.
   */
  synchronous?: "NORMAL" | "FULL";
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  name TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_on TEXT NOT NULL,
  etag INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_created_on ON runs (created_on);
CREATE TABLE IF NOT EXISTS lines (
  run TEXT NOT NULL,
  line_number INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (run, line_number)
) WITHOUT ROWID;
`;

const PAGE_SIZE = 256;

/**
 * The local run store: one SQLite database (WAL mode) holding run records and one row per line
 * result. better-sqlite3 commits synchronously, so a line is on disk when `putLine` resolves.
 */
export class SqliteRunStore implements RunStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly insertLines: (rows: LineRow[]) => void;
  private pendingLines: { row: LineRow; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(options: SqliteRunStoreOptions = {}) {
    this.file = options.file ?? join(options.home ?? flowopsHome(), "runs.db");
    this.db = openSqlite(this.file, SCHEMA, options.synchronous ? { synchronous: options.synchronous } : {});
    this.statements = {
      insertRun: this.db.prepare(
        "INSERT INTO runs (name, status, created_on, etag, record) VALUES (@name, @status, @created_on, @etag, @record)",
      ),
      getRun: this.db.prepare<[string], { record: string; etag: number }>(
        "SELECT record, etag FROM runs WHERE name = ?",
      ),
      replaceRun: this.db.prepare(
        "UPDATE runs SET status = @status, etag = @etag, record = @record WHERE name = @name",
      ),
      deleteRun: this.db.prepare<[string]>("DELETE FROM runs WHERE name = ?"),
      deleteLines: this.db.prepare<[string]>("DELETE FROM lines WHERE run = ?"),
      putLine: this.db.prepare(
        "INSERT OR REPLACE INTO lines (run, line_number, record) VALUES (@run, @line_number, @record)",
      ),
      getLines: this.db.prepare<[string, number, number], { record: string }>(
        "SELECT record FROM lines WHERE run = ? ORDER BY line_number LIMIT ? OFFSET ?",
      ),
      linesAfter: this.db.prepare<[string, number, number], { record: string; line_number: number }>(
        "SELECT record, line_number FROM lines WHERE run = ? AND line_number > ? ORDER BY line_number LIMIT ?",
      ),
    };
    this.insertLines = this.db.transaction((rows: LineRow[]) => {
      for (const row of rows) this.statements.putLine.run(row);
    });
  }

  async createRun(run: RunRecord): Promise<RunRecord> {
    this.commitLines();
    const stored: RunRecord = { ...run, etag: "1" };
    try {
      this.statements.insertRun.run({
        name: run.name,
        status: run.status,
        created_on: run.created_on,
        etag: 1,
        record: JSON.stringify(stored),
      });
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY")
        throw new RunExistsError(run.name);
      throw error;
    }
    return stored;
  }

  async getRun(name: string): Promise<RunRecord | undefined> {
    this.commitLines();
    const row = this.statements.getRun.get(name);
    return row ? readRun(row) : undefined;
  }

  async updateRun(
    name: string,
    change: Partial<Omit<RunRecord, "name">>,
    options: { ifMatch?: string } = {},
  ): Promise<RunRecord> {
    this.commitLines();
    const update = this.db.transaction((): RunRecord => {
      const row = this.statements.getRun.get(name);
      if (!row) throw new RunNotFoundError(name);
      const current = readRun(row);
      if (options.ifMatch !== undefined && options.ifMatch !== current.etag) {
        throw new ConcurrencyConflictError(name, options.ifMatch, current.etag);
      }
      const etag = row.etag + 1;
      const next: RunRecord = { ...current, ...definedOnly(change), name, etag: String(etag) };
      this.statements.replaceRun.run({ name, status: next.status, etag, record: JSON.stringify(next) });
      return next;
    });
    return update.immediate();
  }

  async listRuns(options: ListRunsOptions = {}): Promise<RunRecord[]> {
    this.commitLines();
    const conditions = [
      ...(options.status ? ["status = @status"] : []),
      ...(options.includeArchived ? [] : ["coalesce(json_extract(record, '$.archived'), 0) = 0"]),
    ];
    const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    const rows = this.db
      .prepare<Record<string, unknown>, { record: string; etag: number }>(
        `SELECT record, etag FROM runs ${where} ORDER BY created_on DESC, name LIMIT @limit OFFSET @offset`,
      )
      .all({ status: options.status, limit: options.limit ?? -1, offset: options.offset ?? 0 });
    return rows.map(readRun);
  }

  async deleteRun(name: string): Promise<void> {
    this.commitLines();
    const remove = this.db.transaction(() => {
      this.statements.deleteLines.run(name);
      if (this.statements.deleteRun.run(name).changes === 0) throw new RunNotFoundError(name);
    });
    remove.immediate();
  }

  /**
   * Group commit: lines written in the same event-loop turn share one transaction, and each promise
   * resolves only after that transaction committed (so a line is durable when its promise resolves).
   */
  putLine(line: LineRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingLines.push({
        row: { run: line.run, line_number: line.line_number, record: JSON.stringify(line) },
        resolve,
        reject,
      });
      if (this.pendingLines.length === 1) setImmediate(() => this.commitLines());
    });
  }

  /** Commits the lines waiting for the group commit (also run before any other operation). */
  private commitLines(): void {
    const batch = this.pendingLines;
    if (batch.length === 0) return;
    this.pendingLines = [];
    try {
      this.insertLines(batch.map((item) => item.row));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) item.resolve();
  }

  async getLines(run: string, options: { offset?: number; limit?: number } = {}): Promise<LineRecord[]> {
    this.commitLines();
    const rows = this.statements.getLines.all(run, options.limit ?? -1, options.offset ?? 0);
    return rows.map((row) => JSON.parse(row.record) as LineRecord);
  }

  async *iterateLines(run: string): AsyncIterable<LineRecord> {
    let after = -1;
    for (;;) {
      this.commitLines();
      // Keyset pages: no statement stays open across a yield, so writers are never blocked.
      const rows = this.statements.linesAfter.all(run, after, PAGE_SIZE);
      for (const row of rows) yield JSON.parse(row.record) as LineRecord;
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.line_number;
    }
  }

  async close(): Promise<void> {
    this.commitLines();
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) the local run store. */
export function openSqliteRunStore(options: SqliteRunStoreOptions = {}): SqliteRunStore {
  return new SqliteRunStore(options);
}

type LineRow = { run: string; line_number: number; record: string };

function readRun(row: { record: string; etag: number }): RunRecord {
  return { ...(JSON.parse(row.record) as RunRecord), etag: String(row.etag) };
}

function definedOnly<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<T>;
}
