import type { RunRecord } from "../stores/run-store.js";
import type { AppContext } from "./app-context.js";
import { phaseRuns } from "./evaluation-runs.js";
import { FINAL_STATUSES, type OrchestrationClient } from "./orchestration-client.js";
import { readStoredRequest } from "./run-blobs.js";

/**
 * What `GET /api/runs/{name}` shows: the run's status (Running while its orchestration runs), line
 * counts, token usage and metrics, and each evaluation's status, lines and metrics. Undefined when
 * there is neither a run nor an orchestration of that name.
 */
export async function describeRun(
  app: AppContext,
  client: OrchestrationClient,
  name: string,
): Promise<Record<string, unknown> | undefined> {
  const [run, instance, request] = await Promise.all([
    app.runs.getRun(name),
    client.getStatus(name),
    readStoredRequest(app.blobs, name).catch(() => undefined),
  ]);
  if (!run && !instance) return undefined;
  const orchestrating = instance !== undefined && !FINAL_STATUSES.has(instance.runtimeStatus);
  const evaluations = [];
  if (request) {
    const phases = phaseRuns(request);
    for (const [index, evaluation] of request.evaluations.entries()) {
      const evaluationRun = await app.runs.getRun(phases[index + 1]!);
      evaluations.push({
        flow: evaluation.flow,
        run: phases[index + 1],
        status: evaluationRun ? visibleStatus(evaluationRun, orchestrating) : "NotStarted",
        lines: evaluationRun?.lines ?? { total: 0, completed: 0, failed: 0 },
        metrics: evaluationRun?.metrics ?? {},
      });
    }
  }
  return {
    name,
    status: run ? visibleStatus(run, orchestrating) : "NotStarted",
    ...(instance ? { orchestration: instance.runtimeStatus } : {}),
    flow: request?.flow ?? run?.flow,
    created_on: run?.created_on ?? instance?.createdTime,
    ...(run?.ended_on ? { ended_on: run.ended_on } : {}),
    lines: run?.lines ?? { total: 0, completed: 0, failed: 0 },
    usage: run?.usage,
    metrics: run?.metrics ?? {},
    ...(run?.error ? { error: run.error } : {}),
    evaluations,
  };
}

/** A run's stored status, except that it stays Running until its orchestration has finished. */
function visibleStatus(run: RunRecord, orchestrating: boolean): string {
  return orchestrating && run.status !== "Canceled" ? "Running" : run.status;
}
