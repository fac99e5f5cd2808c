import { isSecretFieldName } from "./environment-secrets.js";
import { redactSecretPatterns } from "./secret-patterns.js";
import { REDACTED, scrubRegisteredSecrets } from "./secret-registry.js";

/**
 * The one secret scrubber for free text: every registered secret value (exact strings, also URL-encoded
 * and JSON-escaped) becomes `***`, then secret-looking patterns are masked as a second net. Logs, CLI
 * output, error bodies, span status messages and line errors go through it.
 */
export function scrubSecrets(text: string): string {
  return redactSecretPatterns(scrubRegisteredSecrets(text));
}

export interface ScrubValueOptions {
  /** Mask the values of secret-named keys (`api_key`, `password`, `Authorization`...); default true. */
  secretKeys?: boolean;
  /** Apply the secret-looking patterns as well as the exact values; default true. */
  patterns?: boolean;
}

/**
 * A copy of a value, safe to put in a trace, a log or a record: strings are scrubbed (see scrubSecrets)
 * and, unless turned off, values under secret-named keys are masked. Cycles and depth are bounded.
 * Run outputs use `{ secretKeys: false, patterns: false }`: only configured secrets are removed from what
 * a flow returned.
 */
export function scrubValue(value: unknown, options: ScrubValueOptions = {}): unknown {
  const text = options.patterns === false ? scrubRegisteredSecrets : scrubSecrets;
  const keys = options.secretKeys !== false;
  const seen = new WeakSet<object>();
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === "string") return text(item);
    if (item === null || typeof item !== "object") return item;
    if (depth > 8 || seen.has(item)) return "[…]";
    seen.add(item);
    if (Array.isArray(item)) return item.map((inner) => walk(inner, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(item)) {
      out[key] =
        keys && isSecretFieldName(key) && inner !== undefined && inner !== null
          ? REDACTED
          : walk(inner, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}

/**
 * A writer (stream, logger) whose every text is scrubbed first: of configured secrets and, unless
 * `patterns` is false (result output, where a pattern could alter data), of secret-looking text.
 */
export function scrubbingWriter<W extends { write(text: string): unknown }>(
  writer: W,
  options: { patterns?: boolean } = {},
): W {
  const scrub = options.patterns === false ? scrubRegisteredSecrets : scrubSecrets;
  return new Proxy(writer, {
    get(target, property) {
      if (property === "write") {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => unknown).call(
            target,
            typeof chunk === "string" ? scrub(chunk) : chunk,
            ...rest,
          );
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A `(level, message)` log function whose messages go through scrubSecrets first. */
export function scrubbingLog<L>(
  log: (level: L, message: string) => void,
): (level: L, message: string) => void {
  return (level, message) => log(level, scrubSecrets(message));
}
