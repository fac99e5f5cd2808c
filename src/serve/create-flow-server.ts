import type { Hono } from "hono";
import type { FlowFunction } from "../flow-function.js";
import { createHttpApp, type HttpMount } from "../http/create-http-app.js";
import { FLOW_SERVE_ROUTES, flowServeRoutes } from "../http/flow-serve-routes.js";
import type { HttpEnv } from "../http/http-guards.js";
import { type HttpServer, listenHttpApp } from "../http/listen-http-app.js";

export interface FlowServerOptions {
  /** The flow, loaded once (`loadFlow`): requests never reload it. */
  flow: FlowFunction;
  /** Reported by /health and /swagger.json. */
  version?: string;
  /** The server log (errors that are the server's fault, with their error id); default stderr. */
  log?: (level: "information" | "warning" | "error", message: string) => void;
  /** Stack traces of server errors in the log. */
  verbose?: boolean;
  /** POSTs in flight at once before 503 + Retry-After. */
  maxInFlight?: number;
  /** Extra Host values accepted when bound to loopback (FLOWOPS_ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
  /** Where callers reach the server (FLOWOPS_BASE_URL); default the bound address. */
  baseUrl?: string;
  /** More apps served beside the flow's routes (e.g. the studio). */
  mounts?: readonly HttpMount[];
}

export interface FlowServer {
  /** The web-standard app: `app.request("/score", ...)` needs no server. */
  readonly app: Hono<HttpEnv>;
  /** Listens (port 0 picks a free port) and resolves with the address actually bound. */
  listen(port: number, host?: string): Promise<{ url: string; port: number; host: string }>;
  close(): Promise<void>;
}

/**
 * The HTTP face of a flow, as promptflow's serving app: `POST /score` (JSON inputs → JSON outputs, or
 * server-sent deltas when the client accepts `text/event-stream`), `GET /health`, `GET /swagger.json`;
 * the one HTTP app (src/http) with flow serve's routes, on node:http.
 */
export function createFlowServer(options: FlowServerOptions): FlowServer {
  const log = options.log ?? ((level, message) => console.error(`[${level}] ${message}`));
  const app = createHttpApp({
    mounts: [
      {
        path: "/",
        app: flowServeRoutes({
          flow: options.flow,
          ...(options.version ? { version: options.version } : {}),
          onStreamError: (error, errorId) =>
            log("error", `${errorId ? `error ${errorId}: ` : ""}stream failed: ${String(error)}`),
        }),
      },
      ...(options.mounts ?? []),
    ],
    log,
    ...(options.verbose ? { verbose: true } : {}),
    ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
    notFound: (method, path) => `no route ${method} ${path.slice(0, 200)}: ${FLOW_SERVE_ROUTES}`,
  });
  let server: HttpServer | undefined;
  return {
    app,
    async listen(port, host = "127.0.0.1") {
      server = await listenHttpApp(app, {
        port,
        host,
        ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      });
      return { url: server.url, port: server.port, host: server.host };
    },
    async close() {
      await server?.close();
    },
  };
}
