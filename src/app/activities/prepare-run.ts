import { NO_USAGE } from "../../runs/run-counters.js";
import { RunExistsError } from "../../stores/errors.js";
import type { RunRecord } from "../../stores/run-store.js";
import type { AppContext } from "../app-context.js";
import type { BulkRunPlan } from "../bulk-run-plan.js";
import { dataAsset } from "../bulk-run-request.js";
import { phaseRuns } from "../evaluation-runs.js";
import { type ChunkRow, parseJsonLines, readStoredRequest, runBlobs } from "../run-blobs.js";

/** Lines per chunk activity at most (FLOWOPS_CHUNK_LINES). */
export const DEFAULT_CHUNK_LINES = 250;
/** Lines in flight per chunk activity when the run's concurrency allows several chunks at once. */
const LINES_PER_CHUNK_IN_FLIGHT = 8;
/** Chunks per orchestration execution before continueAsNew (FLOWOPS_CHUNKS_PER_EXECUTION). */
export const DEFAULT_CHUNKS_PER_EXECUTION = 64;

/**
 * Activity: reads the stored request and its data, writes the line chunks, creates the run records
 * (the run and one evaluation run per evaluation flow) and returns the plan. Idempotent: a replay
 * after a crash rewrites the same chunks and keeps the runs already created.
 */
export async function prepareRun(app: AppContext, input: { run: string }): Promise<BulkRunPlan> {
  const request = await readStoredRequest(app.blobs, input.run);
  if (!request) throw new Error(`Run '${input.run}' has no stored request (${runBlobs.request(input.run)}).`);
  const rows = await readRows(app, request.name, request.data);
  const maxChunk = positive(app.settings["FLOWOPS_CHUNK_LINES"]) ?? DEFAULT_CHUNK_LINES;
  const wanted = Math.max(1, Math.ceil(request.concurrency / LINES_PER_CHUNK_IN_FLIGHT));
  const chunkLines = Math.max(1, Math.min(maxChunk, Math.ceil(rows.length / wanted)));
  const chunks = Math.max(1, Math.ceil(rows.length / chunkLines));
  const window = Math.min(chunks, wanted);
  for (let start = 0; start < chunks; start += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, chunks - start) }, (_, index) => {
        const chunk = start + index;
        const slice: ChunkRow[] = rows
          .slice(chunk * chunkLines, (chunk + 1) * chunkLines)
          .map((data, offset) => ({ line_number: chunk * chunkLines + offset, data }));
        return app.blobs.put(runBlobs.chunk(request.name, chunk), JSON.stringify(slice), {
          contentType: "application/json",
        });
      }),
    );
  }

  const phases = phaseRuns(request);
  const now = new Date().toISOString();
  const total = rows.length;
  const records: RunRecord[] = [
    {
      name: request.name,
      status: "Running",
      flow: app.flows.folder(request.flow),
      data: request.data === "inline" ? `blob:${runBlobs.data(request.name)}` : request.data,
      ...(request.column_mapping ? { column_mapping: asText(request.column_mapping) } : {}),
      ...(request.variant ? { variant: request.variant } : {}),
      tags: { orchestration: request.name },
      created_on: now,
      started_on: now,
      lines: { total, completed: 0, failed: 0 },
      usage: NO_USAGE,
    },
    ...request.evaluations.map(
      (evaluation, index): RunRecord => ({
        name: phases[index + 1]!,
        status: "Running",
        flow: app.flows.folder(evaluation.flow),
        run: request.name,
        ...(evaluation.column_mapping ? { column_mapping: asText(evaluation.column_mapping) } : {}),
        tags: { orchestration: request.name, evaluation: evaluation.flow },
        created_on: now,
        started_on: now,
        lines: { total, completed: 0, failed: 0 },
        usage: NO_USAGE,
      }),
    ),
  ];
  for (const record of records) {
    try {
      await app.runs.createRun(record);
    } catch (error) {
      if (!(error instanceof RunExistsError)) throw error;
      // The name was claimed when the run was requested (NotStarted): it starts now. A replay keeps
      // a run that is already running.
      const { name, ...change } = record;
      if ((await app.runs.getRun(name))?.status === "NotStarted") await app.runs.updateRun(name, change);
    }
  }
  return {
    run: request.name,
    phases,
    chunks,
    window,
    chunkConcurrency: Math.max(1, Math.ceil(request.concurrency / window)),
    chunksPerExecution:
      positive(app.settings["FLOWOPS_CHUNKS_PER_EXECUTION"]) ?? DEFAULT_CHUNKS_PER_EXECUTION,
  };
}

async function readRows(app: AppContext, run: string, data: string): Promise<Record<string, unknown>[]> {
  const asset = data === "inline" ? undefined : dataAsset(data);
  const key = asset ? runBlobs.asset(asset.name, asset.version) : runBlobs.data(run);
  const body = await app.blobs.get(key);
  if (!body) throw new Error(`The data of run '${run}' is missing from the blob store (${key}).`);
  return parseJsonLines(body.toString("utf8"), key);
}

function asText(mapping: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(mapping).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

function positive(value: string | undefined): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}
