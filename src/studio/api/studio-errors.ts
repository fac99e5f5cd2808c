import type { Context } from "hono";
import { UnknownFlowError } from "../../app/flow-catalog.js";
import { UserError } from "../../core/errors.js";
import { errorResponse as httpErrorResponse, scrubServerPaths } from "../../http/http-errors.js";
import { redactSecrets } from "../../telemetry/redact.js";

/** A studio page asked for something that is not there (a run, trace, experiment, endpoint). */
export class StudioNotFoundError extends UserError {
  constructor(what: string, name: string, hint: string) {
    super("NotFound", `No ${what} named '${name}'. ${hint}`, { field: what });
  }
}

/**
 * The studio's error mapping: a user error (bad request, bad input, broken flow) is a 400 naming the field
 * or node (secrets and the server's absolute paths taken out); the rest is the HTTP app's mapping (404 for
 * a flow not served, no stack or path for 5xx).
 */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof StudioNotFoundError)
    return c.json({ error: { code: "NotFound", message: error.message, field: error.field } }, 404);
  if (error instanceof UserError && !(error instanceof UnknownFlowError))
    return c.json(
      {
        error: {
          code: error.code,
          message: scrubServerPaths(redactSecrets(error.message)),
          ...(error.field ? { field: error.field } : {}),
          ...(error.node ? { node: error.node } : {}),
        },
      },
      400,
    );
  return httpErrorResponse(error);
}

/** A query parameter as a bounded non-negative integer (bad values fall back to the default). */
export function queryInt(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return fallback;
  return Math.min(Number(value), max);
}
