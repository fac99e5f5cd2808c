import { logMeans, type MetricLogger } from "../common/log-metrics.js";

/** Aggregation: the share of lines that matched exactly. */
export default function aggregate({ scores }: { scores: readonly unknown[] }, context: MetricLogger) {
  return logMeans(context, { exact_match_rate: scores });
}
