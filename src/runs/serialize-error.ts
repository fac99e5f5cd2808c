import { FlowopsError } from "../core/errors.js";
import type { SerializedError } from "../core/execution-types.js";
import { scrubSecrets } from "../secrets/index.js";

/** Removes configured secret values and things that look like keys or tokens (see src/secrets). */
export function redactSecrets(text: string): string {
  return scrubSecrets(text);
}

/** A line's error as stored with the run: code, message, node and type; no stack, no cause, no secrets. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof FlowopsError) {
    const cause = error.cause;
    const type = cause instanceof Error && !(cause instanceof FlowopsError) ? cause.name : undefined;
    return {
      code: error.code,
      message: redactSecrets(error.message),
      ...(error.node ? { node: error.node } : {}),
      ...(type ? { type } : {}),
    };
  }
  if (error instanceof Error) {
    return { code: "LineExecutionError", message: redactSecrets(error.message), type: error.name };
  }
  return { code: "LineExecutionError", message: redactSecrets(String(error)) };
}
