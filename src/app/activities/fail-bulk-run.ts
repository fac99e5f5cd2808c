import { NO_USAGE } from "../../runs/run-counters.js";
import type { AppContext } from "../app-context.js";
import type { BulkRunSummary } from "../bulk-run-plan.js";
import { phaseRuns } from "../evaluation-runs.js";
import { readStoredRequest } from "../run-blobs.js";

/** Activity: marks the run (and its unfinished evaluation runs) Failed with the reason. */
export async function failBulkRun(
  app: AppContext,
  input: { run: string; error: string },
): Promise<BulkRunSummary> {
  const request = await readStoredRequest(app.blobs, input.run);
  const error = { code: "BulkRunFailed", message: input.error };
  const ended_on = new Date().toISOString();
  for (const name of request ? phaseRuns(request).slice(1) : []) {
    const run = await app.runs.getRun(name);
    if (run && run.status === "Running")
      await app.runs.updateRun(name, { status: "Failed", error, ended_on });
  }
  let run = await app.runs.getRun(input.run);
  if (!run) {
    run = await app.runs.createRun({
      name: input.run,
      status: "Failed",
      flow: request?.flow ?? "unknown",
      created_on: ended_on,
      ended_on,
      lines: { total: 0, completed: 0, failed: 0 },
      usage: NO_USAGE,
      error,
    });
  } else {
    run = await app.runs.updateRun(input.run, { status: "Failed", error, ended_on });
  }
  return { run: run.name, status: run.status, lines: run.lines, metrics: run.metrics ?? {} };
}
