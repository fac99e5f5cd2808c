import { type Context, Hono } from "hono";
import type { AppContext } from "../app/app-context.js";
import { checkHealth } from "../app/check-health.js";
import type { HttpFunction, HttpOperation, Invocation } from "../app/function-table.js";
import { describeRun } from "../app/run-status.js";
import { startBulkRun } from "../app/start-bulk-run.js";
import { FlowopsError } from "../core/errors.js";
import { buildSwagger } from "./build-swagger.js";
import { checkFlowInputs } from "./check-flow-inputs.js";
import { jsonResponse, negotiate, rawJsonResponse, scoreFlow } from "./flow-responses.js";
import { methodNotAllowed } from "./flow-serve-routes.js";
import { RequestError, toErrorResponse } from "./http-errors.js";
import { type HttpBindings, type HttpEnv, streamWithSlot } from "./http-guards.js";
import { readJsonObject } from "./read-json-body.js";

/** What a Functions route needs besides its request: the app and, where the table says so, a Durable client. */
export type InvocationSource = (
  c: Context<FunctionEnv>,
  fn: HttpFunction,
) => Invocation | Promise<Invocation>;

export interface FunctionBindings extends HttpBindings {
  /** The Azure adapter's per-request invocation (Durable client bound to that invocation). */
  invocation?: () => Promise<Invocation>;
}

export type FunctionEnv = { Bindings: FunctionBindings; Variables: HttpEnv["Variables"] };

type Operation = (c: Context<FunctionEnv>, fn: HttpFunction, invocation: Invocation) => Promise<Response>;

export const FUNCTION_ROUTES =
  "use POST /api/flows/{flow}, GET /api/flows/{flow}/swagger.json, POST /api/flows/{flow}/runs, GET /api/runs/{name}, GET /api/runs/{name}/lines, POST /api/endpoints/{endpoint} or GET /api/health";

/**
 * The Functions app's HTTP routes under `/api`, one per HTTP function of the table (src/app/
 * function-table.ts), each answering as its operation says. The local host serves this app on
 * node:http; on Azure each registered HTTP trigger hands its request to it.
 */
export function functionRoutes(
  functions: readonly HttpFunction[],
  invocation: InvocationSource = fromBindings,
): Hono<FunctionEnv> {
  const routes = new Hono<FunctionEnv>();
  const methodsByPath = new Map<string, string[]>();
  for (const fn of functions) {
    const path = honoPath(fn.route);
    const operation = OPERATIONS[fn.operation];
    routes.on(fn.methods, path, async (c) => operation(c, fn, await invocation(c, fn)));
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), ...fn.methods]);
  }
  for (const [path, methods] of methodsByPath) routes.all(path, methodNotAllowed(...new Set(methods)));
  return routes;
}

const fromBindings: InvocationSource = (c) => {
  const source = c.env?.invocation;
  if (!source) throw new Error("no invocation bound to this request (the server mounting the app gives one)");
  return source();
};

/** `runs/{name}/lines` → `/api/runs/:name/lines`; `flows/{*path}` → `/api/flows/*`. */
export function honoPath(route: string): string {
  const path = route
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const match = /^\{(\*?)([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(segment);
      if (!match) return segment;
      return match[1] ? "*" : `:${match[2]}`;
    })
    .join("/");
  return `/api/${path}`;
}

/** Where answers point callers to (status and next-page URLs): configured, never the caller's Host. */
function baseUrl(c: Context<FunctionEnv>): string {
  return c.env?.baseUrl ?? "";
}

const swaggers = new WeakMap<AppContext, Map<string, string>>();

const OPERATIONS: Record<HttpOperation, Operation> = {
  async score(c, fn, { app }) {
    const { flow } = await loadFlow(app, fn.flow!);
    const stream = negotiate(c.req.header("accept"));
    const inputs = await readJsonObject(c.req.raw);
    checkFlowInputs(flow.definition.inputs, inputs);
    const signal = c.req.raw.signal;
    if (!stream) return scoreFlow(flow, inputs, { stream, signal });
    return streamWithSlot(c as unknown as Context<HttpEnv>, (onStreamEnd) =>
      scoreFlow(flow, inputs, {
        stream,
        signal,
        onStreamEnd,
        onStreamError: (error, errorId) =>
          app.log(
            "error",
            `${errorId ? `error ${errorId}: ` : ""}flow ${fn.flow}: stream failed: ${String(error)}`,
          ),
      }),
    );
  },

  async swagger(_c, fn, { app }) {
    const name = fn.flow!;
    let cache = swaggers.get(app);
    if (!cache) {
      cache = new Map();
      swaggers.set(app, cache);
    }
    let body = cache.get(name);
    if (!body) {
      const { flow } = await loadFlow(app, name);
      const swagger = buildSwagger(flow.definition, process.env["npm_package_version"] ?? "0.1.0") as {
        paths?: Record<string, unknown>;
      };
      if (swagger.paths?.["/score"]) swagger.paths = { [`/api/flows/${name}`]: swagger.paths["/score"] };
      body = JSON.stringify(swagger);
      cache.set(name, body);
    }
    return rawJsonResponse(200, body);
  },

  async "start-run"(c, fn, { app, client }) {
    const body = await readJsonObject(c.req.raw);
    const started = await startBulkRun(app, client, fn.flow!, body);
    const statusUrl = `${baseUrl(c)}/api/runs/${encodeURIComponent(started.name)}`;
    return jsonResponse(
      202,
      { ...started, statusQueryGetUri: statusUrl, linesUri: `${statusUrl}/lines` },
      { location: statusUrl, "retry-after": "2" },
    );
  },

  async "run-status"(c, _fn, { app, client }) {
    const name = c.req.param("name")!;
    const run = await describeRun(app, client, name);
    if (!run) throw noRun(name);
    return jsonResponse(200, run);
  },

  async "run-lines"(c, _fn, { app }) {
    const name = c.req.param("name")!;
    const offset = integerParameter(c.req.query("offset"), "offset", 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = integerParameter(c.req.query("limit"), "limit", 1, MAX_PAGE, 100);
    if (!(await app.runs.getRun(name))) throw noRun(name);
    const lines = await app.runs.getLines(name, { offset, limit });
    const next =
      lines.length === limit
        ? `${baseUrl(c)}/api/runs/${encodeURIComponent(name)}/lines?${new URLSearchParams({
            limit: String(limit),
            offset: String(offset + limit),
          })}`
        : null;
    return jsonResponse(200, {
      run: name,
      offset,
      lines: lines.map(({ node_outputs: _nodeOutputs, ...line }) => line),
      next,
    });
  },

  async health(_c, _fn, { app }) {
    const { healthy, body } = await checkHealth(app);
    return jsonResponse(healthy ? 200 : 503, body);
  },

  async endpoint(c, _fn, { app }) {
    const inputs = await readJsonObject(c.req.raw);
    // Loaded on first use: the registry and deployment stores (and their SDKs) only when an endpoint is called.
    const { endpointService } = await import("../deploy/endpoint-service.js");
    const request = new Request(c.req.url, {
      method: "POST",
      headers: c.req.raw.headers,
      body: JSON.stringify(inputs),
      signal: c.req.raw.signal,
    });
    const response = await endpointService(app.settings)(request, c.req.param("endpoint")!);
    if (response.status < 500) return response;
    // The flow's own failure: the body keeps its code, gains an error id, and loses server paths.
    const failure = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    const answer = toErrorResponse(
      new FlowopsError(failure.error?.code ?? "EndpointFailed", failure.error?.message ?? "the flow failed"),
    );
    app.log(
      "error",
      `error ${answer.errorId}: endpoint ${c.req.param("endpoint")}: ${failure.error?.message}`,
    );
    const headers = Object.fromEntries(response.headers);
    delete headers["content-length"];
    return jsonResponse(answer.status, answer.body, headers);
  },

  async "flows-not-found"(c, _fn, { app }) {
    const flow = /^\/api\/flows\/([^/]+)/.exec(c.req.path)?.[1];
    if (flow && !app.flows.has(flow)) await loadFlow(app, flow);
    throw new RequestError(
      404,
      `no route ${c.req.method} ${c.req.path.slice(0, 200)}: ${FUNCTION_ROUTES}`,
      undefined,
      "NotFound",
    );
  },
};

const MAX_PAGE = 1000;

function integerParameter(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new RequestError(400, `query parameter '${name}' must be an integer from ${min} to ${max}`, name);
  }
  return value;
}

function noRun(name: string): RequestError {
  return new RequestError(404, `No run named '${name.slice(0, 200)}'.`, "name", "NotFound");
}

/** A flow of the app: one not served is a 404 naming the flows that are (toErrorResponse). */
function loadFlow(app: AppContext, name: string) {
  return app.flows.load(name);
}
