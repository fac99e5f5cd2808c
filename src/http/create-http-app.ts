import { Hono } from "hono";
import { FlowopsError } from "../core/errors.js";
import { scrubbingLog } from "../secrets/index.js";
import { redactSecrets } from "../telemetry/redact.js";
import { errorJson, RequestError, toErrorResponse } from "./http-errors.js";
import { guardHost, type HttpEnv, limitInFlight, requireJsonBodies } from "./http-guards.js";

export type HttpLogLevel = "information" | "warning" | "error";

/** A Hono app (routes, or a whole sub-application such as the studio) served under `path`. */
export interface HttpMount {
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: any sub-app's own env and schema can be mounted
  app: Hono<any, any, any>;
}

export interface HttpAppOptions {
  /** Mounted in order, after the guards: earlier mounts win where paths overlap. */
  mounts?: readonly HttpMount[];
  /** POSTs in flight at once before 503 + Retry-After (FLOWOPS_MAX_IN_FLIGHT; default 1024). */
  maxInFlight?: number;
  /** The server log; 5xx answers are logged here with their error id. Default: stderr. */
  log?: (level: HttpLogLevel, message: string) => void;
  /** Stack traces of server errors in the log (--verbose). */
  verbose?: boolean;
  /** The message of a 404 for a path no mount serves. */
  notFound?: (method: string, path: string) => string;
}

export const DEFAULT_MAX_IN_FLIGHT = 1024;

/**
 * The ONE web-standard HTTP application (Request → Response, on Hono) that `flow serve`, the local host
 * and the Functions HTTP triggers all serve: the Host check, JSON-only bodies and the in-flight bound
 * first, then the mounted route groups; every error becomes JSON (4xx naming the field, 5xx with an
 * error id that the server log carries with the details, never a stack, a secret or a server path).
 *
 * Sub-apps: `createHttpApp({ mounts: [{ path: "/", app: functionRoutes }, { path: "/", app: studio }] })`,
 * or `app.route(path, subApp)` on the returned app (the guards and error handling apply to both).
 */
export function createHttpApp(options: HttpAppOptions = {}): Hono<HttpEnv> {
  // Server logs never show a configured secret (src/secrets), whoever supplies the logger.
  const log = scrubbingLog<HttpLogLevel>(
    options.log ?? ((level, message) => console.error(`[${level}] ${message}`)),
  );
  const app = new Hono<HttpEnv>();
  app.use(guardHost());
  app.use(requireJsonBodies());
  app.use(limitInFlight(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT));
  for (const mount of options.mounts ?? []) app.route(mount.path, mount.app);
  app.onError((error, c) => {
    const { status, body, errorId, headers } = toErrorResponse(error);
    // A run canceled because its caller left is nobody's error and has nobody to answer.
    if (c.req.raw.signal.aborted) return errorJson(499, body);
    if (status >= 500) {
      log("error", describeServerError(error, `${c.req.method} ${c.req.path}`, errorId, options.verbose));
    }
    return errorJson(status, body, error instanceof RequestError ? error.headers : (headers ?? {}));
  });
  app.notFound((c) =>
    errorJson(404, {
      error: {
        code: "NotFound",
        message:
          options.notFound?.(c.req.method, c.req.path) ??
          `no route ${c.req.method} ${c.req.path.slice(0, 200)}`,
      },
    }),
  );
  return app;
}

/**
 * One log line for a server error: its id, the request and the message; the stack only in verbose mode
 * and never for a user error (a flow's own mistake, such as a missing recording, is not a crash).
 */
export function describeServerError(
  error: unknown,
  request: string,
  errorId: string | undefined,
  verbose = false,
): string {
  const id = errorId ? `error ${errorId}: ` : "";
  const userError = error instanceof FlowopsError && error.isUserError;
  const detail = verbose && !userError && error instanceof Error && error.stack ? error.stack : String(error);
  return redactSecrets(`${id}${request.slice(0, 300)} failed: ${detail}`);
}
