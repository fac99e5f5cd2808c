import type { Context, MiddlewareHandler } from "hono";
import { errorJson } from "./http-errors.js";
import { checkJsonContentType } from "./read-json-body.js";

/** What the server mounting the app tells it about itself (Hono bindings, `c.env`). */
export interface HttpBindings {
  /** Where callers reach this app, for URLs in answers; never taken from the caller's Host header. */
  baseUrl?: string;
  /**
   * When set, which Host header values (lower case, with the port) are answered: a server bound to
   * loopback accepts only loopback names, so a web page cannot reach it through DNS rebinding.
   */
  hostAllowed?: (host: string) => boolean;
}

export type HttpEnv = { Bindings: HttpBindings; Variables: { releaseSlot?: () => void } };

/** 403 unless the Host header is one the server accepts (see HttpBindings.allowedHosts). */
export function guardHost(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const allowed = c.env?.hostAllowed;
    if (allowed) {
      const host = (c.req.header("host") ?? "").toLowerCase();
      if (!allowed(host)) {
        return errorJson(403, {
          error: {
            code: "ForbiddenHost",
            message: `this server is bound to loopback and answers only to localhost, 127.x.x.x or [::1] with its port, not to Host '${host.slice(0, 100)}': add the name to the allowed hosts (FLOWOPS_ALLOWED_HOSTS) to reach it that way`,
          },
        });
      }
    }
    await next();
  };
}

/**
 * 415 for a POST, PUT or PATCH whose body is not declared as JSON: the only bodies a web page can send
 * cross-site without a CORS preflight (form, text/plain) are refused before any work starts.
 */
export function requireJsonBodies(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      checkJsonContentType(c.req.header("content-type"));
    }
    await next();
  };
}

/**
 * Bounds the POSTs (flow runs, bulk-run starts) in flight at once: over `max`, 503 with Retry-After. A
 * streamed answer holds its slot until the stream ends (the handler takes `releaseSlot`).
 */
export function limitInFlight(max: number, retryAfterSeconds = 1): MiddlewareHandler<HttpEnv> {
  let inFlight = 0;
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    if (inFlight >= max) {
      return errorJson(
        503,
        {
          error: {
            code: "ServerBusy",
            message: `the server is running ${max} requests already: retry in ${retryAfterSeconds} s`,
          },
        },
        { "retry-after": String(retryAfterSeconds) },
      );
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight--;
    };
    let kept = false;
    c.set("releaseSlot", release);
    try {
      await next();
      // A handler that answered with a stream took the slot with it (see holdSlot).
      kept = c.get("releaseSlot") !== release;
    } finally {
      if (!kept) release();
    }
  };
}

/**
 * Answers with a stream that keeps the request's in-flight slot until it ends: `answer` gets the
 * function to call then (a failure before the stream starts releases the slot at once).
 */
export async function streamWithSlot(
  c: Context<HttpEnv>,
  answer: (release: () => void) => Promise<Response>,
): Promise<Response> {
  const release = c.get("releaseSlot") ?? (() => {});
  c.set("releaseSlot", undefined);
  try {
    return await answer(release);
  } catch (error) {
    release();
    throw error;
  }
}
