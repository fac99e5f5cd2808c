import type { RunRecord } from "../../stores/run-store.js";
import type { ColumnMapping } from "../column-mapping.js";

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
