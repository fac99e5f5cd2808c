// Types only: the studio UI bundle imports this type too.
import type { RunRecord, RunStatus } from "../../stores/run-store.js";

/** One run as the runs list shows it. */
export interface RunSummary {
  name: string;
  display_name?: string;
  status: RunStatus;
  flow: string;
  data?: string;
  /** The base run of an evaluation run. */
  run?: string;
  variant?: string;
  experiment?: string;
  created_on: string;
  duration_ms?: number;
  lines: RunRecord["lines"];
  /** Lines done (completed or failed) out of the total, 0..1. */
  progress: number;
  tokens: number;
  metrics?: Record<string, number>;
}
