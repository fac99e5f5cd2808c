import type { SerializedError } from "../core/execution-types.js";
import type { TokenUsage } from "../core/model-port.js";

/**
 * The run-store port: where batch runs, their line results and metrics live. The local embedded
 * adapter (SQLite under FLOWOPS_HOME) is the default; the Azure adapter (Cosmos DB) implements the
 * same contract, and one contract suite runs against both.
 */

export type RunStatus = "NotStarted" | "Running" | "Completed" | "Failed" | "Canceled";
export type LineStatus = "Completed" | "Failed";

export interface RunRecord {
  name: string;
  /** Display name; defaults to `name`. */
  display_name?: string;
  description?: string;
  /** Archived runs are left out of `run list` unless asked for (`run archive` / `run restore`). */
  archived?: boolean;
  status: RunStatus;
  /** The flow folder (or registry reference `name:version`). */
  flow: string;
  /** The data file/folder (or data asset `name:version`). */
  data?: string;
  /** Name of the base run whose outputs this run reads (evaluation runs). */
  run?: string;
  column_mapping?: Record<string, string>;
  variant?: string;
  /** Lineage: registry versions used, when known. */
  flow_version?: string;
  data_version?: string;
  tags?: Record<string, string>;
  /** `--connections`: per node, the connection and inputs used instead of the flow's. */
  connections?: Record<string, Record<string, string>>;
  /** ISO timestamps. */
  created_on: string;
  started_on?: string;
  ended_on?: string;
  lines: { total: number; completed: number; failed: number };
  usage: TokenUsage;
  metrics?: Record<string, number>;
  /** Why the run failed as a whole (not line errors). */
  error?: SerializedError;
  /** Set when the run was created with --resume-from. */
  resume_from?: string;
  /** Monotonic version used for optimistic concurrency (Cosmos ETag, SQLite counter). */
  etag?: string;
}

export interface LineRecord {
  run: string;
  line_number: number;
  status: LineStatus;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: SerializedError;
  usage?: TokenUsage;
  /** ISO timestamps. */
  start_time: string;
  end_time: string;
  /** Set when the line was copied from the run it resumed from. */
  reused_from?: string;
  /**
   * Outputs of the line's completed nodes, kept only for flows with aggregation nodes: aggregation
   * inputs may reference any node (`${line_process.output}`), and it may run later than the line
   * (after a resume, or in another process when lines fan out).
   */
  node_outputs?: Record<string, unknown>;
}

export interface ListRunsOptions {
  limit?: number;
  /** Skips this many runs (newest first) before `limit`: pages through the list. */
  offset?: number;
  status?: RunStatus;
  /** Archived runs too (default: only runs that are not archived). */
  includeArchived?: boolean;
}

export interface RunStore {
  /** Creates a run; throws RunExistsError when the name is taken. */
  createRun(run: RunRecord): Promise<RunRecord>;
  getRun(name: string): Promise<RunRecord | undefined>;
  /**
   * Applies a change to a run. With `ifMatch`, fails with ConcurrencyConflictError unless the stored
   * etag still matches (optimistic concurrency); returns the stored record with its new etag.
   */
  updateRun(
    name: string,
    change: Partial<Omit<RunRecord, "name">>,
    options?: { ifMatch?: string },
  ): Promise<RunRecord>;
  listRuns(options?: ListRunsOptions): Promise<RunRecord[]>;
  deleteRun(name: string): Promise<void>;
  /** Writes (or replaces) one line's result; durable when the promise resolves. */
  putLine(line: LineRecord): Promise<void>;
  /** Lines of a run ordered by line_number; pages with offset/limit. */
  getLines(run: string, options?: { offset?: number; limit?: number }): Promise<LineRecord[]>;
  /** Streams every line of a run in line order without loading them all at once. */
  iterateLines(run: string): AsyncIterable<LineRecord>;
  close(): Promise<void>;
}
