import type { TokenUsage } from "../../core/model-port.js";
import type { RunRecord } from "../../stores/run-store.js";
import type { GateResult, MetricRow } from "../experiments/metric-types.js";

/** What a report compares: flow runs (one per data set × variant) and the evaluation runs over them. */
export interface ReportInput {
  title: string;
  experiment?: string;
  runs: { name: string; dataset: string; variant: string }[];
  evaluations: { name: string; base: string; evaluator: string }[];
  gates?: GateResult[];
  /**
   * What the columns are: an experiment's prompt variants (default), or the runs `run visualize` was
   * given (each run its own column, labelled by its name).
   */
  columns?: "variants" | "runs";
}

export interface ReportRun {
  name: string;
  dataset: string;
  variant: string;
  status: RunRecord["status"];
  lines: RunRecord["lines"];
  usage: TokenUsage;
}

/** One evaluator's line-level outputs for one line of a flow run. */
export type LineScores = Record<string, Record<string, unknown>>;

export interface ReportLineVariant {
  run: string;
  status: string;
  outputs?: Record<string, unknown>;
  error?: string;
  /** evaluator → its line outputs (e.g. `{ exact_match: 1, partial_match: 1 }`). */
  scores: LineScores;
}

/** One data line, with what each variant made of it. */
export interface ReportLine {
  dataset: string;
  line_number: number;
  inputs: Record<string, unknown>;
  variants: Record<string, ReportLineVariant>;
  /** True when at least two variants differ in outputs or in an evaluator's line outputs. */
  disagree: boolean;
}

export interface ReportData {
  title: string;
  experiment: string;
  generated_on: string;
  datasets: string[];
  /** The column labels: variant ids, or run names when `columns` is "runs". */
  variants: string[];
  columns: "variants" | "runs";
  evaluators: string[];
  runs: ReportRun[];
  metrics: MetricRow[];
  gates: GateResult[];
  lines: ReportLine[];
}

export interface ReportFiles {
  metricsCsv: string;
  linesCsv: string;
  reportHtml: string;
}
