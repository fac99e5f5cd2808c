/**
 * Keys whose values are secrets wherever they appear (connection fields, headers, node inputs). One
 * rule for the engine's span values and for the secret scrubber (src/secrets). Token counts such as
 * `max_tokens` or `total_tokens` are not secrets; `token`, `access_token` and `accessToken` are.
 */
const SECRET_KEY =
  /(api[-_]?key|secret|password|passwd|authorization|credential|connection[-_]?string|^sas$|(^|[-_.])(token|key)$|accesstoken$|accountkey|access[-_]?key)/i;

/** Whether a key (object property, header, attribute name) names a secret. */
export function isSecretFieldName(key: string): boolean {
  return SECRET_KEY.test(key);
}
