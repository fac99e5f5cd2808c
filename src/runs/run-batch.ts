import { UserError } from "../core/errors.js";
import type { FlowExecutor } from "../core/execution-types.js";
import { RunNotFoundError } from "../stores/errors.js";
import type { LineRecord, RunRecord, RunStore } from "../stores/run-store.js";
import { type ColumnMapping, validateColumnMapping } from "./column-mapping.js";
import { finishRun } from "./finish-run.js";
import { countBatchLines, readBatchLines } from "./line-source.js";
import { NO_USAGE, RunCounters } from "./run-counters.js";
import { runLines } from "./run-lines.js";
import { defaultRunName } from "./run-names.js";
import { serializeError } from "./serialize-error.js";

/** Progress of a batch run, reported after each line. */
export interface BatchProgress {
  run: string;
  total: number;
  completed: number;
  failed: number;
  /** Lines copied from the resumed run (counted in `completed`). */
  reused: number;
  /** Epoch ms when lines started running. */
  startedAt: number;
}

export interface RunBatchOptions {
  store: RunStore;
  /**
   * The flow to run, or how to load it from the run's flow folder (its loading errors make the run
   * `Failed`; with `resumeFrom` the folder comes from the resumed run).
   */
  executor: FlowExecutor | ((flow: string) => Promise<FlowExecutor>);
  /** The flow folder (recorded with the run); taken from the resumed run with `resumeFrom`. */
  flow?: string;
  /** Data file or folder. */
  data?: string;
  /** Base run whose lines are joined by line number (`${run.outputs.x}`). */
  run?: string;
  columnMapping?: ColumnMapping;
  /** `${node.variant_id}` */
  variant?: string;
  /** Explicit name (must be free); default `<flow>_<variant>_<timestamp>`. */
  name?: string;
  displayName?: string;
  description?: string;
  tags?: Record<string, string>;
  /** Recorded with the run (`--connections`); the executor must already apply them. */
  connections?: Record<string, Record<string, string>>;
  /** A run whose completed lines are reused; only its failed or unfinished lines run again. */
  resumeFrom?: string;
  concurrency?: number;
  lineTimeoutMs?: number;
  /** Abort (Ctrl-C) leaves the run `Canceled` and resumable. */
  signal?: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  /** Counter write interval; default 1000 ms. */
  counterIntervalMs?: number;
  flowVersion?: string;
  dataVersion?: string;
}

/**
 * Runs a flow over a data set and records the run: streams the data, runs lines with bounded
 * concurrency, writes each line when it finishes, evaluates (aggregation nodes) at the end, and
 * returns the final run record. The run is `Failed` only when it cannot run at all.
 */
export async function runBatch(options: RunBatchOptions): Promise<RunRecord> {
  const settings = await resolveSettings(options);
  const name =
    options.name ??
    defaultRunName(settings.flow, { ...(settings.variant ? { variant: settings.variant } : {}) });
  const now = new Date().toISOString();
  await options.store.createRun({
    name,
    ...(options.displayName ? { display_name: options.displayName } : {}),
    status: "Running",
    flow: settings.flow,
    ...definedEntries({
      data: settings.data,
      run: settings.run,
      column_mapping: settings.columnMapping && mappingAsText(settings.columnMapping),
      variant: settings.variant,
      description: options.description,
      tags: options.tags,
      connections: options.connections,
      resume_from: options.resumeFrom,
      flow_version: options.flowVersion,
      data_version: options.dataVersion,
    }),
    created_on: now,
    started_on: now,
    lines: { total: 0, completed: 0, failed: 0 },
    usage: NO_USAGE,
  });

  let executor: FlowExecutor;
  let total: number;
  const source = {
    store: options.store,
    ...definedEntries({ data: settings.data, baseRun: settings.run, resumeFrom: options.resumeFrom }),
  };
  try {
    executor =
      typeof options.executor === "function" ? await options.executor(settings.flow) : options.executor;
    validateColumnMapping(settings.columnMapping, executor.definition.inputs, {
      hasBaseRun: Boolean(settings.run),
    });
    total = await countBatchLines(source);
    await options.store.updateRun(name, { lines: { total, completed: 0, failed: 0 } });
  } catch (error) {
    return options.store.updateRun(name, {
      status: "Failed",
      error: serializeError(error),
      ended_on: new Date().toISOString(),
    });
  }

  const cancel = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
  const counters = new RunCounters(options.store, name, {
    ...(options.counterIntervalMs ? { intervalMs: options.counterIntervalMs } : {}),
    onFlush: (stored) => {
      if (stored.status === "Canceled") cancel.abort(); // `flowops run cancel` from elsewhere
    },
  });
  const progress: BatchProgress = {
    run: name,
    total,
    completed: 0,
    failed: 0,
    reused: 0,
    startedAt: Date.now(),
  };
  const onLine = (line: LineRecord) => {
    counters.add(line.status, line.usage);
    if (line.status === "Completed") progress.completed++;
    else progress.failed++;
    if (line.reused_from) progress.reused++;
    options.onProgress?.({ ...progress });
  };
  try {
    await runLines({
      store: options.store,
      executor,
      run: name,
      lines: readBatchLines(source),
      signal,
      onLine,
      ...definedEntries({
        columnMapping: settings.columnMapping,
        variant: settings.variant,
        concurrency: options.concurrency,
        lineTimeoutMs: options.lineTimeoutMs,
      }),
    });
    await counters.flush();
  } catch (error) {
    await counters.flush().catch(() => undefined);
    if (!signal.aborted) {
      return options.store.updateRun(name, {
        status: "Failed",
        error: serializeError(error),
        ended_on: new Date().toISOString(),
      });
    }
  }
  return finishRun({
    store: options.store,
    run: name,
    executor,
    status: signal.aborted ? "Canceled" : "Completed",
    ...(settings.variant ? { variant: settings.variant } : {}),
  });
}

/** Marks a running run `Canceled`; the process running it stops taking lines at its next counter write. */
export async function cancelRun(store: RunStore, name: string): Promise<RunRecord> {
  const run = await store.getRun(name);
  if (!run) throw new RunNotFoundError(name);
  if (run.status !== "Running" && run.status !== "NotStarted") return run;
  return store.updateRun(
    name,
    { status: "Canceled", ended_on: new Date().toISOString() },
    { ifMatch: run.etag! },
  );
}

interface Settings {
  flow: string;
  data?: string;
  run?: string;
  columnMapping?: ColumnMapping;
  variant?: string;
}

async function resolveSettings(options: RunBatchOptions): Promise<Settings> {
  if (!options.resumeFrom) {
    if (!options.flow) throw new UserError("MissingFlow", "A run needs a flow: pass --flow FOLDER.");
    return {
      flow: options.flow,
      ...definedEntries({
        data: options.data,
        run: options.run,
        columnMapping: options.columnMapping,
        variant: options.variant,
      }),
    };
  }
  const previous = await options.store.getRun(options.resumeFrom);
  if (!previous) throw new RunNotFoundError(options.resumeFrom);
  // A resumed run is the same run again: same flow, data, base run, mapping and variant.
  return {
    flow: previous.flow,
    ...definedEntries({
      data: previous.data,
      run: previous.run,
      columnMapping: previous.column_mapping,
      variant: previous.variant,
    }),
  };
}

/** Stored mappings are text, as on the command line (literals are converted to the input type per line). */
function mappingAsText(mapping: ColumnMapping): Record<string, string> {
  return Object.fromEntries(
    Object.entries(mapping).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

function definedEntries<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
