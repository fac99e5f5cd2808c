import { mean } from "./text.js";

/** The part of a node's `context` that aggregation nodes use (promptflow's `log_metric`). */
export interface MetricLogger {
  logMetric(name: string, value: number): void;
}

/**
 * Logs the mean of each named list of line scores (skipping lines without a score) and returns the
 * metrics it logged. A metric with no scored line at all is not logged.
 */
export function logMeans(
  context: MetricLogger,
  lists: Record<string, readonly unknown[]>,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [name, values] of Object.entries(lists)) {
    const value = mean(values);
    if (value === null) continue;
    const rounded = Math.round(value * 1e6) / 1e6;
    context.logMetric(name, rounded);
    metrics[name] = rounded;
  }
  return metrics;
}
