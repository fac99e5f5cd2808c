/** What replaces a secret in traces, logs and error bodies. */
export const REDACTED = "***";

/** Keys whose values are secrets wherever they appear (connection fields, headers, node inputs). */
const SECRET_KEY =
  /(api[-_]?key|secret|password|passwd|authorization|credential|connection[-_]?string|^sas$|(^|[-_.])(token|key)$|accesstoken$|accountkey|access[-_]?key)/i;

/** Secret-looking substrings inside free text (error messages coming back from SDKs and HTTP clients). */
const SECRET_TEXT: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  [
    /\b(api[-_]?key|x-api-key|api-key|access[-_]?token|password|secret)(["']?\s*[:=]\s*["']?)[^\s"',;&}]{4,}/gi,
    `$1$2${REDACTED}`,
  ],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, `sk-${REDACTED}`],
  [/\b(AccountKey|SharedAccessSignature|sig)=[^;&\s"']+/g, `$1=${REDACTED}`],
];

/** Whether a key (object property, header, attribute name) names a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Masks secret-looking substrings in free text. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of a value with every secret-named key masked and secret-looking text redacted, safe to put in
 * a trace or a log. Cycles and depth are bounded.
 */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8 || seen.has(value)) return "[…]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return out;
}
