// Types only, no imports: the studio UI bundle imports these types too.

/** One metric value of one run, as reports and gates see it. */
export interface MetricRow {
  experiment: string;
  dataset: string;
  variant: string;
  /** Empty for metrics the flow itself logged (its own aggregation nodes). */
  evaluator: string;
  metric: string;
  value: number;
  run: string;
}

/** A gate checked against one evaluation run. */
export interface GateResult {
  metric: string;
  evaluator: string;
  dataset: string;
  variant: string;
  min?: number;
  max?: number;
  /** The metric's value, undefined when the run did not log it. */
  actual: number | undefined;
  passed: boolean;
  /** e.g. `exact_match_rate >= 0.8 (evaluator match, dataset test, variant variant_0): actual 0.6` */
  message: string;
}
