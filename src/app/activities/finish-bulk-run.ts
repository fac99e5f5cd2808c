import { finishRun } from "../../runs/finish-run.js";
import type { AppContext } from "../app-context.js";
import type { BulkRunSummary } from "../bulk-run-plan.js";
import { phaseRuns } from "../evaluation-runs.js";
import { readStoredRequest } from "../run-blobs.js";

/**
 * Activity: closes the evaluation runs (their aggregation nodes produce the metrics), then the run
 * itself, whose metrics also list each evaluation's as `<evaluation flow>.<metric>`.
 */
export async function finishBulkRun(app: AppContext, input: { run: string }): Promise<BulkRunSummary> {
  const request = await readStoredRequest(app.blobs, input.run);
  if (!request) throw new Error(`Run '${input.run}' has no stored request.`);
  const phases = phaseRuns(request);
  const evaluationMetrics: Record<string, number> = {};
  for (const [index, evaluation] of request.evaluations.entries()) {
    const { executor } = await app.flows.load(evaluation.flow);
    const finished = await finishRun({ store: app.runs, run: phases[index + 1]!, executor });
    for (const [metric, value] of Object.entries(finished.metrics ?? {})) {
      evaluationMetrics[`${evaluation.flow}.${metric}`] = value;
    }
  }
  const { executor } = await app.flows.load(request.flow);
  let run = await finishRun({
    store: app.runs,
    run: request.name,
    executor,
    ...(request.variant ? { variant: request.variant } : {}),
  });
  if (Object.keys(evaluationMetrics).length > 0) {
    run = await app.runs.updateRun(request.name, { metrics: { ...run.metrics, ...evaluationMetrics } });
  }
  return { run: run.name, status: run.status, lines: run.lines, metrics: run.metrics ?? {} };
}
