import type { DagState } from "./dag-state.js";
import type { LineResult } from "./execution-types.js";

/** One line as aggregation sees it. */
export interface AggregationLine {
  inputs: Record<string, unknown>;
  result: LineResult | undefined;
}

/** The mutable state of one execution (a line, or the aggregation pass). */
export interface ExecState {
  /** The line's coerced flow inputs. */
  inputs: Record<string, unknown>;
  /** Node outputs by plan index. */
  outputs: unknown[];
  dag: DagState;
  /** For the aggregation pass: the completed lines. */
  lines?: AggregationLine[];
}
