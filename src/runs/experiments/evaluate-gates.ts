import type { GateConfig } from "./experiment-schema.js";
import type { GateResult, MetricRow } from "./metric-types.js";
import type { PlannedEvaluationRun } from "./plan-experiment.js";

export type { GateResult, MetricRow } from "./metric-types.js";

/**
 * Checks each gate against every evaluation run it covers (its evaluator, narrowed by `dataset` and
 * `variant` when given). A metric the run did not log fails the gate.
 */
export function evaluateGates(
  gates: readonly GateConfig[],
  evaluationRuns: readonly PlannedEvaluationRun[],
  metrics: readonly MetricRow[],
): GateResult[] {
  return gates.flatMap((gate) =>
    evaluationRuns
      .filter(
        (run) =>
          run.evaluator.name === gate.evaluator &&
          (gate.dataset === undefined || run.base.dataset.name === gate.dataset) &&
          (gate.variant === undefined ||
            run.base.variant.id === gate.variant ||
            run.base.variant.label === gate.variant),
      )
      .map((run) => {
        const actual = metrics.find((m) => m.run === run.name && m.metric === gate.metric)?.value;
        const passed =
          actual !== undefined &&
          Number.isFinite(actual) &&
          (gate.min === undefined || actual >= gate.min) &&
          (gate.max === undefined || actual <= gate.max);
        const bounds = [
          gate.min !== undefined ? `>= ${gate.min}` : "",
          gate.max !== undefined ? `<= ${gate.max}` : "",
        ]
          .filter(Boolean)
          .join(" and ");
        const where = `evaluator ${gate.evaluator}, dataset ${run.base.dataset.name}, variant ${run.base.variant.label}`;
        const outcome = actual === undefined ? `not logged by run ${run.name}` : `actual ${round(actual)}`;
        return {
          metric: gate.metric,
          evaluator: gate.evaluator,
          dataset: run.base.dataset.name,
          variant: run.base.variant.label,
          ...(gate.min !== undefined ? { min: gate.min } : {}),
          ...(gate.max !== undefined ? { max: gate.max } : {}),
          actual,
          passed,
          message: `${gate.metric} ${bounds} (${where}): ${outcome}`,
        };
      }),
  );
}

function round(value: number): string {
  return String(Math.round(value * 1e4) / 1e4);
}
