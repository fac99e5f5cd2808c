import { randomUUID } from "node:crypto";
import { FlowopsError, InputError, NotSupportedError } from "../core/errors.js";
import { redactSecrets } from "../telemetry/redact.js";

/** promptflow's serving error body: one `error` key with a code and a message a client can show. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; node?: string; errorId?: string };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Set for 5xx answers: the id the body shows and the server log carries with the details. */
  errorId?: string;
  /** Headers the answer needs (Retry-After on 503). */
  headers?: Record<string, string>;
}

/** A client mistake found by the HTTP layer itself (bad JSON, wrong content type, unknown route...). */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly code = "UserError",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/**
 * Maps whatever a request ended with to an HTTP status and a JSON body: the client's mistakes are 4xx
 * naming the field; a failing node or model is 500 naming the node; anything else is a 500 with an error
 * id only. No body carries a stack, a secret-looking string or a server file path.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof RequestError) {
    return {
      status: error.status,
      body: {
        error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
      },
    };
  }
  if (error instanceof FlowopsError && error.code === "UnknownFlow") {
    // A flow not served (the route's flow: 404), or an unknown flow named in the body (400).
    const status = error.field === "flow" ? 404 : 400;
    return {
      status,
      body: {
        error: {
          code: status === 404 ? "NotFound" : "UserError",
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        },
      },
    };
  }
  if (error instanceof FlowopsError && error.code === "RunExists") {
    return {
      status: 409,
      body: {
        error: {
          code: "Conflict",
          message: `${error.message.split(". ")[0]}: another request claimed the name first; pick another name.`,
          field: "name",
        },
      },
    };
  }
  const unrecorded = causeWithCode(error, "RecordingNotFound");
  if (unrecorded && (unrecorded as { reason?: { kind?: string } }).reason?.kind === "new-inputs") {
    // Replay mode and inputs nobody recorded: the caller's inputs cannot be answered offline (422), the
    // server is not broken. An empty or outdated recordings folder stays a 5xx below: that is the server's.
    return {
      status: 422,
      body: {
        error: {
          code: "NoRecording",
          message: scrubServerPaths(redactSecrets(unrecorded.message)),
          ...(error instanceof FlowopsError && error.node ? { node: error.node } : {}),
        },
      },
    };
  }
  const overloaded = overloadOf(error);
  if (overloaded) {
    // A full queue (every python worker busy): the server is overloaded, the request may be retried.
    return {
      status: 503,
      headers: { "Retry-After": "1" },
      body: {
        error: { code: "ServiceUnavailable", message: scrubServerPaths(redactSecrets(overloaded.message)) },
      },
    };
  }
  if (error instanceof FlowopsError) {
    // Only the inputs are the client's to fix; any other flowops error is the served flow's problem.
    const status = error instanceof InputError ? 400 : error instanceof NotSupportedError ? 501 : 500;
    const errorId = status >= 500 ? newErrorId() : undefined;
    return {
      status,
      ...(errorId ? { errorId } : {}),
      body: {
        error: {
          code: status < 500 ? "UserError" : error.code,
          message: scrubServerPaths(redactSecrets(error.message)),
          ...(error.field ? { field: error.field } : {}),
          ...(error.node ? { node: error.node } : {}),
          ...(errorId ? { errorId } : {}),
        },
      },
    };
  }
  const errorId = newErrorId();
  return {
    status: 500,
    errorId,
    body: {
      error: {
        code: "SystemError",
        message: `internal error (error id ${errorId}: the server log has the details)`,
        errorId,
      },
    },
  };
}

/** The error (or a cause of it) that says the server is overloaded: a FlowopsError with `status` 503. */
function overloadOf(error: unknown): FlowopsError | undefined {
  return findCause(error, (e) => (e as { status?: unknown }).status === 503);
}

/** The error, or one of its causes, with this FlowopsError code. */
function causeWithCode(error: unknown, code: string): FlowopsError | undefined {
  return findCause(error, (e) => e.code === code);
}

function findCause(error: unknown, matches: (error: FlowopsError) => boolean): FlowopsError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof FlowopsError && matches(current)) return current;
    current = current.cause;
  }
  return undefined;
}

function newErrorId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * Replaces absolute file paths (`/srv/app/flows/x/node.ts:3`, `C:\app\x.py`) in a message with their
 * last segment, so error bodies do not describe the server's disk. Splits on whitespace and quotes:
 * linear in the message length.
 */
export function scrubServerPaths(message: string): string {
  return message.replace(/[^\s'"`()[\]<>,;]+/g, (token) => {
    const absolute = token.startsWith("/") || /^[A-Za-z]:[\\/]/.test(token) || token.startsWith("file://");
    if (!absolute) return token;
    const segments = token.split(/[\\/]/).filter(Boolean);
    if (segments.length < 2) return token;
    return `…/${segments.at(-1)}`;
  });
}

/** The JSON answer for whatever a request ended with (toErrorResponse's mapping). */
export function errorResponse(error: unknown): Response {
  const { status, body, headers } = toErrorResponse(error);
  return errorJson(status, body, error instanceof RequestError ? error.headers : (headers ?? {}));
}

/** The JSON response for an error body. */
export function errorJson(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
