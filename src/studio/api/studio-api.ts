import { Hono } from "hono";
import { UserError } from "../../core/errors.js";
import type { RunStatus } from "../../stores/run-store.js";
import type { StudioContext } from "../studio-context.js";
import { experimentDetail, listExperiments } from "./experiments-api.js";
import { flowDetail, flowSummary } from "./flow-detail.js";
import { endpointDetail, listEndpoints, registryVersions } from "./registry-api.js";
import { runFlowStream } from "./run-flow-stream.js";
import { compareRuns, listRunsPage, RUN_STATUSES, runDetail, runLinesPage } from "./runs-api.js";
import { errorResponse, queryInt, StudioNotFoundError } from "./studio-errors.js";
import { listTraces, readTrace } from "./trace-reader.js";

const PAGE = 50;
const MAX_PAGE = 500;

/** The studio's JSON routes (mounted under `/api/studio`). */
export function createStudioApi(studio: StudioContext): Hono {
  const api = new Hono();
  api.onError((error, c) => errorResponse(c, error));

  api.get("/flows", async (c) => {
    const flows = [];
    for (const name of studio.flows.names()) flows.push(await flowSummary(name, studio.flows.folder(name)));
    return c.json({ flows });
  });
  api.get("/flows/:name", async (c) => {
    const name = c.req.param("name");
    return c.json(await flowDetail(name, studio.flows.folder(name)));
  });
  api.post("/flows/:name/run", (c) => runFlowStream(c, studio, c.req.param("name")));

  api.get("/traces", async (c) => {
    const line = c.req.query("line");
    const run = c.req.query("run");
    return c.json(
      await listTraces(studio.home, {
        ...(run ? { run } : {}),
        ...(line !== undefined && /^\d{1,9}$/.test(line) ? { line: Number(line) } : {}),
        offset: queryInt(c.req.query("offset"), 0, 1_000_000),
        limit: queryInt(c.req.query("limit"), PAGE, MAX_PAGE) || PAGE,
      }),
    );
  });
  api.get("/traces/:id", async (c) => {
    const id = c.req.param("id");
    if (!/^[0-9a-f]{32}$/.test(id))
      throw new UserError("BadRequest", `'${id}' is not a trace id (32 hex digits).`, { field: "id" });
    const spans = await readTrace(studio.home, id);
    if (spans.length === 0)
      throw new StudioNotFoundError(
        "trace",
        id,
        "Traces are kept under FLOWOPS_HOME/traces unless FLOWOPS_TRACING=off.",
      );
    return c.json({ trace_id: id, spans });
  });

  api.get("/runs", async (c) => {
    const status = c.req.query("status");
    if (status !== undefined && status !== "" && !RUN_STATUSES.includes(status as RunStatus))
      throw new UserError(
        "BadRequest",
        `status must be one of ${RUN_STATUSES.join(", ")}, not '${status}'.`,
        {
          field: "status",
        },
      );
    return c.json(
      await listRunsPage(studio.runs, {
        offset: queryInt(c.req.query("offset"), 0, 1_000_000),
        limit: queryInt(c.req.query("limit"), PAGE, MAX_PAGE) || PAGE,
        ...(status ? { status: status as RunStatus } : {}),
      }),
    );
  });
  api.get("/runs/:name", async (c) => c.json(await runDetail(studio.runs, c.req.param("name"))));
  api.get("/runs/:name/lines", async (c) =>
    c.json(
      await runLinesPage(studio.runs, c.req.param("name"), {
        offset: queryInt(c.req.query("offset"), 0, 1_000_000),
        limit: queryInt(c.req.query("limit"), PAGE, MAX_PAGE) || PAGE,
        failedOnly: c.req.query("status") === "Failed",
      }),
    ),
  );
  api.get("/compare", async (c) => {
    const names = (c.req.query("runs") ?? "").split(",").filter((name) => name !== "");
    if (names.length === 0 || names.length > 10)
      throw new UserError("BadRequest", "Name one to ten runs to compare: ?runs=a,b", { field: "runs" });
    return c.json(await compareRuns(studio.runs, names));
  });

  api.get("/experiments", async (c) => c.json({ experiments: await listExperiments(studio.flows.root) }));
  api.get("/experiments/:id", async (c) =>
    c.json(await experimentDetail(studio.flows.root, studio.runs, c.req.param("id"))),
  );

  api.get("/registry/flows", async (c) => c.json({ flows: await registryVersions(studio, "flow") }));
  api.get("/registry/data", async (c) => c.json({ data: await registryVersions(studio, "data") }));
  api.get("/endpoints", async (c) => c.json({ endpoints: await listEndpoints(studio) }));
  api.get("/endpoints/:name", async (c) => c.json(await endpointDetail(studio, c.req.param("name"))));

  api.all("*", (c) =>
    c.json(
      { error: { code: "NotFound", message: `No studio API route ${c.req.method} ${c.req.path}.` } },
      404,
    ),
  );
  return api;
}
