import { logMeans, type MetricLogger } from "../common/log-metrics.js";

/** Aggregation: the mean cosine similarity over the lines that have one. */
export default function aggregate({ scores }: { scores: readonly unknown[] }, context: MetricLogger) {
  return logMeans(context, { embedding_similarity: scores });
}
