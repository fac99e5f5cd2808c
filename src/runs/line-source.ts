import { UserError } from "../core/errors.js";
import { RunNotFoundError } from "../stores/errors.js";
import type { LineRecord, RunStore } from "../stores/run-store.js";
import { readData } from "./read-data.js";

/** One line of a batch run, with what it joins to. */
export interface BatchLine {
  line_number: number;
  /** The data row; for a run over a base run without data, the base line's inputs. */
  data?: Record<string, unknown>;
  /** The base run's line with the same number (`--run`), when there is one. */
  base?: LineRecord;
  /** The completed line of the run being resumed (`--resume-from`): it is reused, not rerun. */
  previous?: LineRecord;
}

export interface LineSourceOptions {
  store: RunStore;
  data?: string;
  /** Base run (`--run`) joined by line number. */
  baseRun?: string;
  /** Run whose completed lines are reused. */
  resumeFrom?: string;
  /** Only lines with `start <= line_number < end` (a chunk of a fanned-out run). */
  range?: { start: number; end?: number };
}

/**
 * Streams a run's lines in line order: data rows merge-joined with the base run's lines and the
 * resumed run's lines (all three ordered by line number), so memory stays flat whatever the size.
 */
export async function* readBatchLines(options: LineSourceOptions): AsyncGenerator<BatchLine> {
  const base = options.baseRun ? await cursor(options.store, options.baseRun) : undefined;
  const previous = options.resumeFrom ? await cursor(options.store, options.resumeFrom) : undefined;
  const start = options.range?.start ?? 0;
  const end = options.range?.end ?? Number.POSITIVE_INFINITY;
  try {
    for await (const row of rows(options)) {
      if (row.line_number < start) continue;
      if (row.line_number >= end) return;
      const line: BatchLine = { line_number: row.line_number, ...(row.data ? { data: row.data } : {}) };
      const baseLine = row.base ?? (await base?.find(row.line_number));
      if (baseLine) line.base = baseLine;
      const previousLine = await previous?.find(row.line_number);
      if (previousLine?.status === "Completed") line.previous = previousLine;
      yield line;
    }
  } finally {
    await base?.close();
    await previous?.close();
  }
}

/** How many lines the run will have (one streaming pass; also surfaces bad data before any line runs). */
export async function countBatchLines(options: LineSourceOptions): Promise<number> {
  let count = 0;
  for await (const _ of rows({ ...options, resumeFrom: undefined })) count++;
  return count;
}

async function* rows(
  options: LineSourceOptions,
): AsyncGenerator<{ line_number: number; data?: Record<string, unknown>; base?: LineRecord }> {
  if (options.data) {
    for await (const row of readData(options.data)) yield { line_number: row.line_number, data: row.row };
    return;
  }
  if (!options.baseRun) {
    throw new UserError("MissingData", "A run needs --data (a file or folder), --run (a base run), or both.");
  }
  await requireRun(options.store, options.baseRun);
  for await (const line of options.store.iterateLines(options.baseRun)) {
    yield { line_number: line.line_number, data: line.inputs, base: line };
  }
}

async function requireRun(store: RunStore, name: string): Promise<void> {
  if (!(await store.getRun(name))) throw new RunNotFoundError(name);
}

/** Walks a run's lines forward, answering "the line numbered n, if any" for increasing n. */
async function cursor(store: RunStore, run: string) {
  await requireRun(store, run);
  const iterator = store.iterateLines(run)[Symbol.asyncIterator]();
  let current: IteratorResult<LineRecord> | undefined;
  return {
    async find(lineNumber: number): Promise<LineRecord | undefined> {
      current ??= await iterator.next();
      while (!current.done && current.value.line_number < lineNumber) current = await iterator.next();
      return !current.done && current.value.line_number === lineNumber ? current.value : undefined;
    },
    async close(): Promise<void> {
      await iterator.return?.();
    },
  };
}
