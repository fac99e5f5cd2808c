import { toErrorResponse } from "../serve/index.js";
import { RunExistsError } from "../stores/errors.js";
import { UnknownFlowError } from "./flow-catalog.js";
import { type AppResponse, jsonResponse } from "./http-types.js";

/**
 * The app's HTTP error mapping: flow serve's (client mistakes are 4xx naming the field, no stack or
 * secret anywhere), plus 404 for a flow not served, 400 for an unknown evaluation flow, 409 for a
 * run name taken by another flow's run.
 */
export function appErrorResponse(error: unknown): AppResponse {
  if (error instanceof UnknownFlowError) {
    const status = error.field === "flow" ? 404 : 400;
    return jsonResponse(status, {
      error: { code: status === 404 ? "NotFound" : "UserError", message: error.message, field: error.field },
    });
  }
  if (error instanceof RunExistsError) {
    return jsonResponse(409, { error: { code: "Conflict", message: error.message, field: "name" } });
  }
  const { status, body } = toErrorResponse(error);
  return jsonResponse(status, body);
}

/** The error responses that are the server's fault, for the log. */
export function isServerError(response: AppResponse): boolean {
  return response.status >= 500;
}
