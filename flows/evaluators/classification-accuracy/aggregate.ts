import { logMeans, type MetricLogger } from "../common/log-metrics.js";
import { normalizeText } from "../common/text.js";

/**
 * Aggregation: overall accuracy, and the recall of each expected class as `accuracy.<class>` (the
 * share of lines of that class that were predicted right), so a skewed data set cannot hide a class.
 */
export default function aggregate(
  { scores, groundtruth }: { scores: readonly unknown[]; groundtruth: readonly unknown[] },
  context: MetricLogger,
) {
  const byClass: Record<string, unknown[]> = {};
  scores.forEach((score, i) => {
    const key = `accuracy.${normalizeText(groundtruth[i])}`;
    byClass[key] = [...(byClass[key] ?? []), score];
  });
  return logMeans(context, { accuracy: scores, ...byClass });
}
