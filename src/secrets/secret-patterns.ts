import { REDACTED } from "./secret-registry.js";

/**
 * Secret-looking substrings inside free text (error messages coming back from SDKs and HTTP clients):
 * the second net, behind the exact values of configured secrets. Each pattern is linear-time (no nested
 * or adjacent overlapping quantifiers).
 */
const SECRET_TEXT: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [
    /\b(api[-_]?key|apikey|x-api-key|access[-_]?token|password|secret)(["']?\s*[:=]\s*["']?)(?!\*{3,}|\$\{env:)[^\s"',;&}]{4,}/gi,
    `$1$2${REDACTED}`,
  ],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, `sk-${REDACTED}`],
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|sig)=[^;&\s"']+/g, `$1=${REDACTED}`],
];

/** Masks secret-looking substrings (bearer tokens, `api_key=...`, `sk-...`, `AccountKey=...`) in text. */
export function redactSecretPatterns(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}
