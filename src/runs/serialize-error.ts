import { FlowopsError } from "../core/errors.js";
import type { SerializedError } from "../core/execution-types.js";

/** Patterns of things that look like keys or tokens, with what replaces them. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bsk-[A-Za-z0-9_-]{8,}/g, "sk-***"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 ***"],
  [
    /\b(api[-_]?key|apikey|access[-_]?token|secret|password|sig|AccountKey)(["']?\s*[:=]\s*["']?)[^\s"'&;,]+/gi,
    "$1$2***",
  ],
];

/** Replaces things that look like keys or tokens with `***`. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
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
