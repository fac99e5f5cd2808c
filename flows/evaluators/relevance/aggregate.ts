import { logJudgeMetrics } from "../common/judge-metrics.js";
import type { MetricLogger } from "../common/log-metrics.js";

/** Aggregation: relevance (mean 1–5), relevance_pass_rate (share ≥ 4) and relevance_unscored. */
export default function aggregate({ scores }: { scores: readonly unknown[] }, context: MetricLogger) {
  return logJudgeMetrics("relevance", scores, context);
}
