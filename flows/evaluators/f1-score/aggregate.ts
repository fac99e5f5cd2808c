import { logMeans, type MetricLogger } from "../common/log-metrics.js";

/** Aggregation: the mean token F1 over the lines. */
export default function aggregate({ scores }: { scores: readonly unknown[] }, context: MetricLogger) {
  return logMeans(context, { f1_score: scores });
}
