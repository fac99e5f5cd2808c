import { logJudgeMetrics } from "../common/judge-metrics.js";
import type { MetricLogger } from "../common/log-metrics.js";

/** Aggregation: groundedness (mean 1–5), groundedness_pass_rate (share ≥ 4) and groundedness_unscored. */
export default function aggregate({ scores }: { scores: readonly unknown[] }, context: MetricLogger) {
  return logJudgeMetrics("groundedness", scores, context);
}
