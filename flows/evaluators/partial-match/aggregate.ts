import { logMeans, type MetricLogger } from "../common/log-metrics.js";

/** Aggregation: the shares of lines that matched exactly and partially. */
export default function aggregate(
  { exact_match, partial_match }: { exact_match: readonly unknown[]; partial_match: readonly unknown[] },
  context: MetricLogger,
) {
  return logMeans(context, { exact_match_rate: exact_match, partial_match_rate: partial_match });
}
