import { RequestError } from "../serve/index.js";
import type { RunRecord } from "../stores/run-store.js";
import type { AppContext } from "./app-context.js";
import { phaseRuns } from "./evaluation-runs.js";
import { type AppRequest, type AppResponse, jsonResponse } from "./http-types.js";
import { FINAL_STATUSES, type OrchestrationClient } from "./orchestration-client.js";
import { readStoredRequest } from "./run-blobs.js";
import { startBulkRun } from "./start-bulk-run.js";

/**
 * `POST /api/flows/{flow}/runs`: starts a bulk run (see startBulkRun) and answers 202 with the status
 * URL; a retry of the same request (same name) answers 202 again and starts nothing.
 */
export async function createRun(
  app: AppContext,
  client: OrchestrationClient,
  flow: string,
  request: AppRequest,
): Promise<AppResponse> {
  const text = await request.text();
  let body: unknown;
  try {
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw new RequestError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
  const started = await startBulkRun(app, client, flow, body);
  const statusUrl = new URL(`/api/runs/${encodeURIComponent(started.name)}`, request.url).toString();
  return jsonResponse(
    202,
    { ...started, statusQueryGetUri: statusUrl, linesUri: `${statusUrl}/lines` },
    { location: statusUrl, "retry-after": "2" },
  );
}

/**
 * `GET /api/runs/{name}`: the run's status (Running while its orchestration runs), line counts, token
 * usage and metrics, and each evaluation's status, lines and metrics.
 */
export async function getRunStatus(
  app: AppContext,
  client: OrchestrationClient,
  name: string,
): Promise<AppResponse> {
  const [run, instance, request] = await Promise.all([
    app.runs.getRun(name),
    client.getStatus(name),
    readStoredRequest(app.blobs, name).catch(() => undefined),
  ]);
  if (!run && !instance) {
    return jsonResponse(404, {
      error: { code: "NotFound", message: `No run named '${name}'.`, field: "name" },
    });
  }
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
  return jsonResponse(200, {
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
  });
}

/** A run's stored status, except that it stays Running until its orchestration has finished. */
function visibleStatus(run: RunRecord, orchestrating: boolean): string {
  return orchestrating && run.status !== "Canceled" ? "Running" : run.status;
}

const MAX_PAGE = 1000;

/** `GET /api/runs/{name}/lines?offset=0&limit=100`: one page of line results, with the next page's URL. */
export async function getRunLines(app: AppContext, name: string, request: AppRequest): Promise<AppResponse> {
  const url = new URL(request.url);
  const offset = integerParameter(url, "offset", 0, Number.MAX_SAFE_INTEGER, 0);
  const limit = integerParameter(url, "limit", 1, MAX_PAGE, 100);
  if (!(await app.runs.getRun(name))) {
    return jsonResponse(404, {
      error: { code: "NotFound", message: `No run named '${name}'.`, field: "name" },
    });
  }
  const lines = await app.runs.getLines(name, { offset, limit });
  let next: string | null = null;
  if (lines.length === limit) {
    const nextUrl = new URL(url);
    nextUrl.searchParams.set("offset", String(offset + limit));
    nextUrl.searchParams.set("limit", String(limit));
    next = nextUrl.toString();
  }
  return jsonResponse(200, {
    run: name,
    offset,
    lines: lines.map(({ node_outputs: _nodeOutputs, ...line }) => line),
    next,
  });
}

function integerParameter(url: URL, name: string, min: number, max: number, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RequestError(400, `query parameter '${name}' must be an integer from ${min} to ${max}`, name);
  }
  return value;
}
