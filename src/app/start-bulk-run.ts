import { InputError } from "../core/errors.js";
import { validateColumnMapping } from "../runs/column-mapping.js";
import { NO_USAGE } from "../runs/run-counters.js";
import { RunExistsError } from "../stores/errors.js";
import type { AppContext } from "./app-context.js";
import { BULK_RUN_ORCHESTRATION, type BulkRunInput } from "./bulk-run-plan.js";
import {
  DEFAULT_RUN_CONCURRENCY,
  dataAsset,
  parseBulkRunRequest,
  type StoredBulkRequest,
} from "./bulk-run-request.js";
import { InstanceExistsError, type OrchestrationClient } from "./orchestration-client.js";
import { runBlobs } from "./run-blobs.js";

export interface StartedRun {
  name: string;
  /** False when the run already existed (a duplicate message or an HTTP retry): nothing new started. */
  started: boolean;
  /** The orchestration's runtime status, or the stored run's status. */
  status: string;
}

/**
 * Starts a bulk run for `flow` from a request body or queue message, exactly once per run name: the
 * request is validated (flows, column mappings, data), then the run name is claimed atomically (a
 * `NotStarted` run record); a name already taken means nothing new starts (RunExistsError when it is
 * another flow's). Only then do the request (and inline rows) go to the blob store and the
 * orchestration start with the run name as its instance id and only the name as input. Throws
 * InputError/UnknownFlowError for the client's mistakes.
 */
export async function startBulkRun(
  app: AppContext,
  client: OrchestrationClient,
  flow: string,
  body: unknown,
): Promise<StartedRun> {
  app.flows.folder(flow);
  const request = parseBulkRunRequest(body, flow);
  const main = await app.flows.load(flow);
  validateMapping(
    () =>
      validateColumnMapping(request.column_mapping, main.executor.definition.inputs, { hasBaseRun: false }),
    "column_mapping",
  );
  for (const [index, evaluation] of request.evaluations.entries()) {
    app.flows.folder(evaluation.flow, `evaluations[${index}].flow`);
    const loaded = await app.flows.load(evaluation.flow);
    validateMapping(
      () =>
        validateColumnMapping(evaluation.column_mapping, loaded.executor.definition.inputs, {
          hasBaseRun: true,
        }),
      `evaluations[${index}].column_mapping`,
    );
  }
  if (typeof request.data === "string") {
    const asset = dataAsset(request.data)!;
    if (!(await app.blobs.exists(runBlobs.asset(asset.name, asset.version)))) {
      throw new InputError(
        "UnknownDataAsset",
        `'data' names the data asset '${request.data}', which is not registered (no blob ${runBlobs.asset(asset.name, asset.version)}): register it first or send the rows inline.`,
        { field: "data" },
      );
    }
  }

  const folder = app.flows.folder(flow);
  const instance = await client.getStatus(request.name);
  if (instance) {
    const existing = await app.runs.getRun(request.name);
    if (existing && existing.flow !== folder) throw new RunExistsError(request.name);
    return { name: request.name, started: false, status: instance.runtimeStatus };
  }
  // The name is claimed atomically (the store's create refuses a taken name) before anything is
  // written: of two requests with one name only the first writes its request and data; a retry for the
  // same flow starts nothing, another flow's request is refused (409).
  try {
    await app.runs.createRun({
      name: request.name,
      status: "NotStarted",
      flow: folder,
      tags: { orchestration: request.name },
      created_on: new Date().toISOString(),
      lines: { total: 0, completed: 0, failed: 0 },
      usage: NO_USAGE,
    });
  } catch (error) {
    if (!(error instanceof RunExistsError)) throw error;
    const existing = await app.runs.getRun(request.name);
    if (!existing || existing.flow !== folder) throw error;
    return { name: request.name, started: false, status: existing.status };
  }

  const stored: StoredBulkRequest = {
    name: request.name,
    flow,
    data: typeof request.data === "string" ? request.data : "inline",
    evaluations: request.evaluations,
    concurrency: request.concurrency ?? DEFAULT_RUN_CONCURRENCY,
    ...(request.column_mapping ? { column_mapping: request.column_mapping } : {}),
    ...(request.variant ? { variant: request.variant } : {}),
  };
  if (Array.isArray(request.data)) {
    const jsonl = request.data.map((row) => JSON.stringify(row)).join("\n");
    await app.blobs.put(runBlobs.data(request.name), `${jsonl}\n`, { contentType: "application/x-ndjson" });
  }
  await app.blobs.put(runBlobs.request(request.name), JSON.stringify(stored), {
    contentType: "application/json",
  });
  try {
    await client.startNew(BULK_RUN_ORCHESTRATION, {
      instanceId: request.name,
      input: { run: request.name } satisfies BulkRunInput,
    });
  } catch (error) {
    if (error instanceof InstanceExistsError)
      return { name: request.name, started: false, status: "Running" };
    // Nothing runs under the name: release it for a retry.
    await app.runs.deleteRun(request.name).catch(() => undefined);
    throw error;
  }
  return { name: request.name, started: true, status: "Pending" };
}

/** Column-mapping errors name the request field they came from. */
function validateMapping(check: () => void, field: string): void {
  try {
    check();
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(
        error.code,
        `'${field}': ${error.message.replaceAll("--column-mapping", "column_mapping")}`,
        {
          field: error.field ? `${field}.${error.field}` : field,
        },
      );
    }
    throw error;
  }
}
