import { logMeans, type MetricLogger } from "./log-metrics.js";

/**
 * Aggregation for an LLM judge: `<name>` is the mean 1–5 score over the lines the judge scored,
 * `<name>_pass_rate` the share of scored lines at 4 or above, and `<name>_unscored` the number of
 * lines whose answer held no readable score (they are left out of the other two).
 */
export function logJudgeMetrics(
  name: string,
  scores: readonly unknown[],
  context: MetricLogger,
): Record<string, number> {
  const scored = scores.filter((s): s is number => typeof s === "number");
  const metrics = logMeans(context, {
    [name]: scored,
    [`${name}_pass_rate`]: scored.map((s) => (s >= 4 ? 1 : 0)),
  });
  const unscored = scores.length - scored.length;
  context.logMetric(`${name}_unscored`, unscored);
  return { ...metrics, [`${name}_unscored`]: unscored };
}
