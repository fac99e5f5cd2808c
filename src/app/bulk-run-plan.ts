/** Names of the durable functions every app registers (one orchestration, four activities). */
export const BULK_RUN_ORCHESTRATION = "flowopsBulkRun";
export const ACTIVITIES = {
  prepare: "flowopsPrepareRun",
  chunk: "flowopsRunChunk",
  finish: "flowopsFinishRun",
  fail: "flowopsFailRun",
} as const;

/** How a bulk run is cut up: chunks of lines, each run through the flow and then each evaluation flow. */
export interface BulkRunPlan {
  run: string;
  /** The runs it writes: `run`, then one evaluation run per evaluation flow. */
  phases: string[];
  /** Line chunks (blobs `runs/<run>/chunks/<k>.json`). */
  chunks: number;
  /** Chunks in flight at once. */
  window: number;
  /** Lines in flight at once within one chunk (`window × chunkConcurrency` ≈ the run's concurrency). */
  chunkConcurrency: number;
  /** Chunks one orchestration execution handles before `continueAsNew` (bounds its history). */
  chunksPerExecution: number;
}

/** The orchestration's input: the run name, then where `continueAsNew` left off. */
export interface BulkRunInput {
  run: string;
  plan?: BulkRunPlan;
  nextChunk?: number;
}

export interface RunChunkInput {
  run: string;
  chunk: number;
  concurrency: number;
}

export interface RunChunkResult {
  run: string;
  chunk: number;
  /** Lines run by this call (over all phases). */
  ran: number;
  /** Lines already finished by an earlier call, not run again. */
  skipped: number;
}

export interface BulkRunSummary {
  run: string;
  status: string;
  lines: { total: number; completed: number; failed: number };
  metrics: Record<string, number>;
}

/** Attempts per chunk before the run fails (an activity failing is infrastructure, not a line). */
export const MAX_CHUNK_ATTEMPTS = 3;
