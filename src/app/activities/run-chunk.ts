import type { BatchLine } from "../../runs/line-source.js";
import { RunCounters } from "../../runs/run-counters.js";
import { runLines } from "../../runs/run-lines.js";
import type { AppContext } from "../app-context.js";
import type { RunChunkInput, RunChunkResult } from "../bulk-run-plan.js";
import type { StoredBulkRequest } from "../bulk-run-request.js";
import { phaseRuns } from "../evaluation-runs.js";
import { readLineRange } from "../read-line-range.js";
import { readChunk, readStoredRequest } from "../run-blobs.js";

/**
 * Activity: runs one chunk of one phase with the batch engine. Lines already stored for the phase's
 * run are skipped (a chunk re-run after a crash never recomputes a finished line); each line's
 * failure is recorded on the line, so only infrastructure errors (store, blob) fail the activity.
 */
export async function runChunk(app: AppContext, input: RunChunkInput): Promise<RunChunkResult> {
  const request = await cachedRequest(app, input.run);
  const target = phaseRuns(request)[input.phase];
  if (!target) throw new Error(`Run '${input.run}' has no phase ${input.phase}.`);
  const evaluation = input.phase > 0 ? request.evaluations[input.phase - 1] : undefined;
  const rows = await readChunk(app.blobs, input.run, input.chunk);
  if (rows.length === 0) return { run: target, chunk: input.chunk, ran: 0, skipped: 0 };
  const start = rows[0]!.line_number;
  const end = rows[rows.length - 1]!.line_number + 1;
  const finished = new Set(
    (await readLineRange(app.runs, target, start, end)).map((line) => line.line_number),
  );
  const base = evaluation
    ? new Map((await readLineRange(app.runs, input.run, start, end)).map((line) => [line.line_number, line]))
    : undefined;
  const lines: BatchLine[] = [];
  for (const row of rows) {
    if (finished.has(row.line_number)) continue;
    const baseLine = base?.get(row.line_number);
    lines.push({ line_number: row.line_number, data: row.data, ...(baseLine ? { base: baseLine } : {}) });
  }
  if (lines.length === 0) return { run: target, chunk: input.chunk, ran: 0, skipped: finished.size };

  const { executor } = await app.flows.load(evaluation ? evaluation.flow : request.flow);
  const cancel = new AbortController();
  const counters = new RunCounters(app.runs, target, {
    onFlush: (stored) => {
      if (stored.status === "Canceled") cancel.abort();
    },
  });
  const mapping = evaluation ? evaluation.column_mapping : request.column_mapping;
  await runLines({
    store: app.runs,
    executor,
    run: target,
    lines: fromArray(lines),
    concurrency: input.concurrency,
    signal: cancel.signal,
    onLine: (line) => counters.add(line.status, line.usage),
    ...(mapping ? { columnMapping: mapping } : {}),
    ...(!evaluation && request.variant ? { variant: request.variant } : {}),
  });
  await counters.flush();
  return { run: target, chunk: input.chunk, ran: lines.length, skipped: finished.size };
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
