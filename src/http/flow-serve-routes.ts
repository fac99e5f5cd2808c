import { Hono } from "hono";
import type { FlowFunction } from "../flow-function.js";
import { buildSwagger } from "./build-swagger.js";
import { checkFlowInputs } from "./check-flow-inputs.js";
import { negotiate, rawJsonResponse, scoreFlow } from "./flow-responses.js";
import { RequestError } from "./http-errors.js";
import { type HttpEnv, streamWithSlot } from "./http-guards.js";
import { readJsonObject } from "./read-json-body.js";

export interface FlowServeRoutesOptions {
  /** The flow, loaded once (`loadFlow`): requests never reload it. */
  flow: FlowFunction;
  /** Reported by /health and /swagger.json. */
  version?: string;
  /** Told about a stream that failed midway (already answered with an `event: error`). */
  onStreamError?: (error: unknown, errorId: string | undefined) => void;
}

export const FLOW_SERVE_ROUTES = "use POST /score, GET /health or GET /swagger.json";

/**
 * `flow serve`'s routes, as promptflow's serving app: `POST /score` (JSON inputs → JSON outputs, or
 * server-sent deltas when the client accepts `text/event-stream`), `GET /health`, `GET /swagger.json`.
 */
export function flowServeRoutes(options: FlowServeRoutesOptions): Hono<HttpEnv> {
  const { flow } = options;
  const version = options.version ?? "0.0.0";
  const swagger = JSON.stringify(buildSwagger(flow.definition, version));
  const health = JSON.stringify({ status: "Healthy", version });
  const routes = new Hono<HttpEnv>();
  routes.post("/score", async (c) => {
    const stream = negotiate(c.req.header("accept"));
    const inputs = await readJsonObject(c.req.raw);
    checkFlowInputs(flow.definition.inputs, inputs);
    const signal = c.req.raw.signal;
    if (!stream) return scoreFlow(flow, inputs, { stream, signal });
    return streamWithSlot(c, (onStreamEnd) =>
      scoreFlow(flow, inputs, {
        stream,
        signal,
        onStreamEnd,
        ...(options.onStreamError ? { onStreamError: options.onStreamError } : {}),
      }),
    );
  });
  routes.get("/health", () => rawJsonResponse(200, health));
  routes.get("/swagger.json", () => rawJsonResponse(200, swagger));
  routes.all("/score", (c) => {
    throw new RequestError(
      405,
      `${c.req.method} is not allowed: use POST /score with the flow's inputs as JSON`,
      undefined,
      "MethodNotAllowed",
      { allow: "POST" },
    );
  });
  routes.all("/health", methodNotAllowed("GET"));
  routes.all("/swagger.json", methodNotAllowed("GET"));
  return routes;
}

/** A handler answering 405 naming the methods a path takes. */
export function methodNotAllowed(...methods: string[]) {
  return (c: { req: { method: string; path: string } }): never => {
    throw new RequestError(
      405,
      `${c.req.method} is not allowed on ${c.req.path.slice(0, 200)}: use ${methods.join(" or ")}`,
      undefined,
      "MethodNotAllowed",
      { allow: methods.join(", ") },
    );
  };
}
