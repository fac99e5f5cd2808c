import { FlowopsError, InputError, NotSupportedError } from "../core/errors.js";
import { redactSecrets } from "../telemetry/redact.js";

/** promptflow's serving error body: one `error` key with a code and a message a client can show. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; node?: string };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

/** A client mistake found by the server itself (bad JSON, wrong content type...). */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/**
 * Maps whatever a request ended with to an HTTP status and a JSON body: the client's mistakes are 4xx
 * naming the field, a failing node or model is 500 naming the node, and nothing carries a stack or a
 * secret.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof RequestError) {
    return {
      status: error.status,
      body: {
        error: { code: "UserError", message: error.message, ...(error.field ? { field: error.field } : {}) },
      },
    };
  }
  if (error instanceof FlowopsError) {
    // Only the inputs are the client's to fix; any other flowops error is the served flow's problem.
    const status = error instanceof InputError ? 400 : error instanceof NotSupportedError ? 501 : 500;
    return {
      status,
      body: {
        error: {
          code: status < 500 ? "UserError" : error.code,
          message: redactSecrets(error.message),
          ...(error.field ? { field: error.field } : {}),
          ...(error.node ? { node: error.node } : {}),
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: { code: "SystemError", message: "internal error while running the flow (see the server log)" },
    },
  };
}
