import type { NodeContext } from "../execution-types.js";

export default function meanMetric(
  { scores, label }: { scores: number[]; label: string },
  context: NodeContext,
): number {
  const mean = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  context.logMetric(label, mean);
  return mean;
}
