import { logJudgeMetrics } from "../common/judge-metrics.js";
import type { MetricLogger } from "../common/log-metrics.js";

/** Aggregation: coherence (mean 1–5), coherence_pass_rate (share ≥ 4) and coherence_unscored. */
export default function aggregate({ scores }: { scores: readonly unknown[] }, context: MetricLogger) {
  return logJudgeMetrics("coherence", scores, context);
}
