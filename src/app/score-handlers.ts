import { toErrorResponse } from "../serve/error-response.js";
import { buildSwagger, negotiate, parseJsonInputs, RequestError } from "../serve/index.js";
import { checkJsonContentType } from "../serve/read-json-body.js";
import type { AppContext } from "./app-context.js";
import { type AppRequest, type AppResponse, jsonResponse, rawJsonResponse } from "./http-types.js";

/**
 * `POST /api/flows/{flow}`: the flow's inputs as JSON → its outputs as JSON, or promptflow's serving
 * deltas as server-sent events when the client accepts `text/event-stream` (flow serve's rules and
 * error bodies).
 */
export async function scoreFlow(
  app: AppContext,
  flowName: string,
  request: AppRequest,
): Promise<AppResponse> {
  const { flow } = await app.flows.load(flowName);
  const stream = negotiate(request.header("accept"));
  checkJsonContentType(request.header("content-type"));
  const inputs = parseJsonInputs(await request.text());
  if (!stream) return jsonResponse(200, await flow(inputs));
  const events = flow.stream(inputs)[Symbol.asyncIterator]();
  // The first event decides the status: bad inputs still get a plain 400 before any byte is streamed.
  const first = await events.next();
  return {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    body: serverSentEvents(first, events, (error) =>
      app.log("error", `flow ${flowName}: stream failed: ${(error as Error).message}`),
    ),
  };
}

/** flow serve's event framing: `data: <json>` per delta, `event: error` with the error body at the end. */
async function* serverSentEvents(
  first: IteratorResult<Record<string, unknown>>,
  events: AsyncIterator<Record<string, unknown>>,
  report: (error: unknown) => void,
): AsyncGenerator<string> {
  let next = first;
  try {
    while (!next.done) {
      yield `data: ${JSON.stringify(next.value)}\n\n`;
      next = await events.next();
    }
  } catch (error) {
    report(error);
    yield `event: error\ndata: ${JSON.stringify(toErrorResponse(error).body)}\n\n`;
  }
}

const swaggers = new Map<string, string>();

/** `GET /api/flows/{flow}/swagger.json`: flow serve's swagger, with the score path under /api. */
export async function flowSwagger(app: AppContext, flowName: string): Promise<AppResponse> {
  let body = swaggers.get(flowName);
  if (!body) {
    const { flow } = await app.flows.load(flowName);
    const swagger = buildSwagger(flow.definition, process.env["npm_package_version"] ?? "0.1.0") as {
      paths?: Record<string, unknown>;
    };
    if (swagger.paths?.["/score"]) {
      swagger.paths = { [`/api/flows/${flowName}`]: swagger.paths["/score"] };
    }
    body = JSON.stringify(swagger);
    swaggers.set(flowName, body);
  }
  return rawJsonResponse(200, body);
}

/** Any other method or path under /api/flows/{flow}: 404/405 with a JSON body naming the routes. */
export function noRoute(app: AppContext, method: string, path: string): AppResponse {
  const flow = /^\/api\/flows\/([^/]+)/.exec(path)?.[1];
  if (flow && !app.flows.has(decodeURIComponent(flow))) {
    return jsonResponse(404, {
      error: {
        code: "NotFound",
        message: `No flow named '${decodeURIComponent(flow)}' is served here (flows: ${app.flows.names().join(", ") || "none"}).`,
        field: "flow",
      },
    });
  }
  const error = new RequestError(
    404,
    `no route ${method} ${path}: use POST /api/flows/{flow}, GET /api/flows/{flow}/swagger.json, POST /api/flows/{flow}/runs, GET /api/runs/{name}, GET /api/runs/{name}/lines or GET /api/health`,
  );
  return jsonResponse(404, toErrorResponse(error).body);
}
