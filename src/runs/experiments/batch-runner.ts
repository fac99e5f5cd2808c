import type { FlowExecutor } from "../../core/execution-types.js";
import type { RunRecord, RunStore } from "../../stores/run-store.js";
import type { ColumnMapping } from "../column-mapping.js";
import { type BatchProgress, runBatch } from "../run-batch.js";

/** One batch run an experiment asks for (a flow run, or an evaluation run over a base run). */
export interface ExperimentRunRequest {
  name: string;
  /** Absolute flow folder. */
  flow: string;
  /** Data file/folder. */
  data: string;
  /** Base run whose outputs `${run.outputs.x}` reads (evaluation runs). */
  run?: string;
  /** `${node.variant_id}`. */
  variant?: string;
  columnMapping?: ColumnMapping;
  concurrency?: number;
  tags: Record<string, string>;
}

/**
 * Runs one batch run to the end and returns its stored record (status, line counts, metrics).
 * The default is the batch engine's `runBatch`; tests and the Functions fan-out may pass another.
 */
export type ExperimentBatchRunner = (request: ExperimentRunRequest) => Promise<RunRecord>;

export interface LocalBatchRunnerOptions {
  store: RunStore;
  /** Builds the executor of a flow folder (with its model port: live, record or replay). */
  executorFor: (flow: string) => Promise<FlowExecutor>;
  signal?: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
}

/** The experiment's runs on this machine, through the batch engine's `runBatch`. */
export function localBatchRunner(options: LocalBatchRunnerOptions): ExperimentBatchRunner {
  return (request) =>
    runBatch({
      store: options.store,
      executor: options.executorFor,
      name: request.name,
      flow: request.flow,
      data: request.data,
      tags: request.tags,
      ...(request.run ? { run: request.run } : {}),
      ...(request.variant ? { variant: request.variant } : {}),
      ...(request.columnMapping ? { columnMapping: request.columnMapping } : {}),
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
}
