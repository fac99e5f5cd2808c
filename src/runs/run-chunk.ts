import type { FlowExecutor } from "../core/execution-types.js";
import { RunNotFoundError } from "../stores/errors.js";
import type { RunStore } from "../stores/run-store.js";
import { readBatchLines } from "./line-source.js";
import { RunCounters } from "./run-counters.js";
import { runLines } from "./run-lines.js";

export interface RunChunkOptions {
  store: RunStore;
  executor: FlowExecutor;
  /** An existing run record (status `Running`): its data, base run, mapping, variant and resume source are used. */
  run: string;
  /** The lines of this chunk: `start <= line_number < end`. */
  range: { start: number; end: number };
  concurrency?: number;
  lineTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs one chunk of an existing run's lines: what a fanned-out worker (a Durable activity) does. Lines
 * are written as they finish and the run's counters are incremented under optimistic concurrency, so
 * chunks can run at the same time. Running a chunk again rewrites its lines (putLine replaces). The
 * orchestrator creates the run (with `lines.total` from countBatchLines) and closes it with finishRun.
 */
export async function runBatchChunk(
  options: RunChunkOptions,
): Promise<{ completed: number; failed: number }> {
  const run = await options.store.getRun(options.run);
  if (!run) throw new RunNotFoundError(options.run);
  const counters = new RunCounters(options.store, run.name);
  const counts = { completed: 0, failed: 0 };
  try {
    await runLines({
      store: options.store,
      executor: options.executor,
      run: run.name,
      lines: readBatchLines({
        store: options.store,
        range: options.range,
        ...(run.data ? { data: run.data } : {}),
        ...(run.run ? { baseRun: run.run } : {}),
        ...(run.resume_from ? { resumeFrom: run.resume_from } : {}),
      }),
      onLine: (line) => {
        counters.add(line.status, line.usage);
        if (line.status === "Completed") counts.completed++;
        else counts.failed++;
      },
      ...(run.column_mapping ? { columnMapping: run.column_mapping } : {}),
      ...(run.variant ? { variant: run.variant } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.lineTimeoutMs ? { lineTimeoutMs: options.lineTimeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await counters.flush();
  }
  return counts;
}
