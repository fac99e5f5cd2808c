import { isSecretFieldName, REDACTED, scrubSecrets, scrubValue } from "../secrets/index.js";

/** What replaces a secret in traces, logs and error bodies. */
export { REDACTED };

/** Whether a key (object property, header, attribute name) names a secret. */
export function isSecretKey(key: string): boolean {
  return isSecretFieldName(key);
}

/** Removes configured secret values (exact strings) and secret-looking substrings from free text. */
export function redactSecrets(text: string): string {
  return scrubSecrets(text);
}

/**
 * A copy of a value with every secret-named key masked, configured secrets removed and secret-looking
 * text redacted, safe to put in a trace or a log. Cycles and depth are bounded.
 */
export function redactValue(value: unknown): unknown {
  return scrubValue(value);
}
