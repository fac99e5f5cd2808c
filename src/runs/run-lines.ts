import { setMaxListeners } from "node:events";
import { FlowopsError } from "../core/errors.js";
import type { FlowExecutor } from "../core/execution-types.js";
import { scrubValue } from "../secrets/index.js";
import type { LineRecord, RunStore } from "../stores/run-store.js";
import { type ColumnMapping, mapLineInputs } from "./column-mapping.js";
import type { BatchLine } from "./line-source.js";
import { serializeError } from "./serialize-error.js";

/** A line that ran longer than the line timeout. */
export class LineTimeoutError extends FlowopsError {
  constructor(lineNumber: number, timeoutMs: number) {
    super(
      "LineTimeout",
      `Line ${lineNumber} did not finish within ${timeoutMs / 1000} s. Raise the limit with --line-timeout, or make the flow faster.`,
      { retryable: true },
    );
  }
}

export interface RunLinesOptions {
  store: RunStore;
  executor: FlowExecutor;
  /** The run the lines are written to. */
  run: string;
  lines: AsyncIterable<BatchLine>;
  columnMapping?: ColumnMapping;
  variant?: string;
  /** Lines in flight at once; default 16. */
  concurrency?: number;
  /** Per-line limit; default 600 000 ms (promptflow's). */
  lineTimeoutMs?: number;
  /** Aborting stops taking lines; lines in flight are abandoned unrecorded (they rerun on resume). */
  signal?: AbortSignal;
  /** Called after each line is durably written. */
  onLine?: (line: LineRecord) => void;
}

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_LINE_TIMEOUT_MS = 600_000;

/**
 * Runs lines with bounded concurrency: `concurrency` workers pull from the (streaming) line source,
 * so at most that many lines are read ahead. Each finished line is written before the worker takes
 * the next. A failing line is recorded as Failed and the others go on.
 */
export async function runLines(options: RunLinesOptions): Promise<void> {
  const iterator = options.lines[Symbol.asyncIterator]();
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  // The executor listens to the batch signal once per line in flight: expected, not a leak.
  if (options.signal) setMaxListeners(concurrency + 16, options.signal);
  // One listener settles every line in flight on a batch abort (EventTarget walks its listeners on each
  // add and remove, so one per line would cost O(concurrency) per line).
  const stops = new Set<(reason: unknown) => void>();
  const onBatchAbort = () => {
    for (const stop of stops) stop(options.signal?.reason);
  };
  options.signal?.addEventListener("abort", onBatchAbort, { once: true });
  const worker = async (): Promise<void> => {
    while (!options.signal?.aborted) {
      const next = await iterator.next();
      if (next.done) return;
      const record = await runLine(options, next.value, stops);
      if (!record) return; // canceled while running
      await options.store.putLine(withoutSecrets(record));
      options.onLine?.(record);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    options.signal?.removeEventListener("abort", onBatchAbort);
    await iterator.return?.();
  }
}

async function runLine(
  options: RunLinesOptions,
  line: BatchLine,
  stops: Set<(reason: unknown) => void>,
): Promise<LineRecord | undefined> {
  const started = new Date().toISOString();
  if (line.previous) {
    return {
      ...line.previous,
      run: options.run,
      reused_from: line.previous.run,
    };
  }
  if (options.signal?.aborted) return undefined;
  let inputs: Record<string, unknown> = line.data ?? {};
  const timeoutMs = options.lineTimeoutMs ?? DEFAULT_LINE_TIMEOUT_MS;
  // No AbortController per line: the executor gets the batch signal itself and enforces `timeoutMs`
  // (the engine fails the nodes still running by name and aborts the signal it lends them). A
  // controller per line cost more than its allocation: on Node 20 each AbortSignal outlives two
  // scavenges and drags the line's state into the old generation with it (bench/README.md, "Memory").
  // The line still settles at once on timeout or batch abort, even if the executor ignores both:
  // the timer and runLines' abort listener (through `stops`) reject `stopped`.
  let rejectLine!: (reason: unknown) => void;
  const stopped = new Promise<never>((_, reject) => {
    rejectLine = reject;
  });
  let stopReason: unknown;
  const stopLine = (reason: unknown) => {
    stopReason ??= reason;
    rejectLine(reason);
  };
  stops.add(stopLine);
  const timer = setTimeout(() => stopLine(new LineTimeoutError(line.line_number, timeoutMs)), timeoutMs);
  try {
    inputs = mapLineInputs(
      options.executor.definition.inputs,
      options.columnMapping,
      {
        ...(line.data ? { data: line.data } : {}),
        ...(line.base?.status === "Completed"
          ? { run: { inputs: line.base.inputs, outputs: line.base.outputs } }
          : {}),
      },
      line.line_number,
    );
    const result = await Promise.race([
      options.executor.run(inputs, {
        ...(options.signal ? { signal: options.signal } : {}),
        lineNumber: line.line_number,
        runId: options.run,
        timeoutMs,
        ...(options.variant ? { variant: options.variant } : {}),
      }),
      stopped,
    ]);
    const record: LineRecord = {
      run: options.run,
      line_number: line.line_number,
      status: "Completed",
      inputs,
      outputs: result.outputs,
      usage: result.usage,
      start_time: started,
      end_time: new Date().toISOString(),
    };
    if (options.executor.hasAggregation) {
      record.node_outputs = Object.fromEntries(
        Object.values(result.nodes)
          .filter((node) => node.status === "Completed")
          .map((node) => [node.node, node.output]),
      );
    }
    return record;
  } catch (error) {
    if (options.signal?.aborted) return undefined;
    return {
      run: options.run,
      line_number: line.line_number,
      status: "Failed",
      inputs,
      error: serializeError(stopReason ?? error),
      start_time: started,
      end_time: new Date().toISOString(),
    };
  } finally {
    clearTimeout(timer);
    stops.delete(stopLine);
  }
}

/**
 * The record as stored: configured secret values (exact strings) are removed from outputs and node
 * outputs, as they are from errors; inputs are the caller's data and are kept as given.
 */
function withoutSecrets(record: LineRecord): LineRecord {
  if (record.status !== "Completed") return record;
  const scrub = (value: Record<string, unknown>) =>
    scrubValue(value, { secretKeys: false, patterns: false }) as Record<string, unknown>;
  return {
    ...record,
    ...(record.outputs ? { outputs: scrub(record.outputs) } : {}),
    ...(record.node_outputs ? { node_outputs: scrub(record.node_outputs) } : {}),
  };
}
