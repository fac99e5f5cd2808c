import type { BatchLine } from "../../runs/line-source.js";
import { RunCounters } from "../../runs/run-counters.js";
import { runLines } from "../../runs/run-lines.js";
import type { LineRecord } from "../../stores/run-store.js";
import type { AppContext } from "../app-context.js";
import type { RunChunkInput, RunChunkResult } from "../bulk-run-plan.js";
import type { StoredBulkRequest } from "../bulk-run-request.js";
import { phaseRuns } from "../evaluation-runs.js";
import { readLineRange } from "../read-line-range.js";
import { type ChunkRow, readChunk, readStoredRequest } from "../run-blobs.js";

/**
 * Activity: runs one chunk with the batch engine, phase after phase: the flow over the chunk's rows,
 * then each evaluation flow over those results (so evaluations of early chunks overlap the flow's
 * later chunks). Lines already stored for a phase's run are skipped (a chunk re-run after a crash
 * never recomputes a finished line); each line's failure is recorded on the line, so only
 * infrastructure errors (store, blob) fail the activity.
 */
export async function runChunk(app: AppContext, input: RunChunkInput): Promise<RunChunkResult> {
  const request = await cachedRequest(app, input.run);
  const runs = phaseRuns(request);
  const rows = await readChunk(app.blobs, input.run, input.chunk);
  const result: RunChunkResult = { run: input.run, chunk: input.chunk, ran: 0, skipped: 0 };
  if (rows.length === 0) return result;
  const main = await runPhase(app, rows, {
    target: request.name,
    flow: request.flow,
    concurrency: input.concurrency,
    ...(request.column_mapping ? { mapping: request.column_mapping } : {}),
    ...(request.variant ? { variant: request.variant } : {}),
  });
  result.ran += main.ran;
  result.skipped += main.skipped;
  for (const [index, evaluation] of request.evaluations.entries()) {
    const evaluated = await runPhase(app, rows, {
      target: runs[index + 1]!,
      flow: evaluation.flow,
      concurrency: input.concurrency,
      base: main.lines,
      ...(evaluation.column_mapping ? { mapping: evaluation.column_mapping } : {}),
    });
    result.ran += evaluated.ran;
    result.skipped += evaluated.skipped;
  }
  return result;
}

interface Phase {
  /** The run the lines are written to. */
  target: string;
  flow: string;
  concurrency: number;
  mapping?: Record<string, unknown>;
  variant?: string;
  /** The base run's lines of this chunk (evaluations). */
  base?: Map<number, LineRecord>;
}

/** Runs the chunk's unfinished lines of one phase; returns every line of the chunk for that run. */
async function runPhase(
  app: AppContext,
  rows: ChunkRow[],
  phase: Phase,
): Promise<{ ran: number; skipped: number; lines: Map<number, LineRecord> }> {
  const start = rows[0]!.line_number;
  const end = rows[rows.length - 1]!.line_number + 1;
  const stored = await readLineRange(app.runs, phase.target, start, end);
  const lines = new Map(stored.map((line) => [line.line_number, line]));
  const todo: BatchLine[] = [];
  for (const row of rows) {
    if (lines.has(row.line_number)) continue;
    const base = phase.base?.get(row.line_number);
    todo.push({ line_number: row.line_number, data: row.data, ...(base ? { base } : {}) });
  }
  if (todo.length === 0) return { ran: 0, skipped: stored.length, lines };
  const { executor } = await app.flows.load(phase.flow);
  const cancel = new AbortController();
  const counters = new RunCounters(app.runs, phase.target, {
    onFlush: (run) => {
      if (run.status === "Canceled") cancel.abort();
    },
  });
  await runLines({
    store: app.runs,
    executor,
    run: phase.target,
    lines: fromArray(todo),
    concurrency: phase.concurrency,
    signal: cancel.signal,
    onLine: (line) => {
      lines.set(line.line_number, line);
      counters.add(line.status, line.usage);
    },
    ...(phase.mapping ? { columnMapping: phase.mapping } : {}),
    ...(phase.variant ? { variant: phase.variant } : {}),
  });
  await counters.flush();
  return { ran: todo.length, skipped: stored.length, lines };
}

const requests = new Map<string, Promise<StoredBulkRequest>>();

/** A run's request never changes once stored: read it once per process. */
function cachedRequest(app: AppContext, run: string): Promise<StoredBulkRequest> {
  let request = requests.get(run);
  if (!request) {
    request = readStoredRequest(app.blobs, run).then((stored) => {
      if (!stored) throw new Error(`Run '${run}' has no stored request.`);
      return stored;
    });
    requests.set(run, request);
    request.catch(() => requests.delete(run));
    if (requests.size > 256) requests.delete(requests.keys().next().value!);
  }
  return request;
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
