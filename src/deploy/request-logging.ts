import { createHash } from "node:crypto";
import { scrubRegisteredSecrets } from "../secrets/index.js";

/** What the production log keeps of each served request. */
export interface RequestLoggingOptions {
  /** Share of requests logged, 0..1 (default 1: all). `FLOWOPS_REQUEST_SAMPLE_RATE`. */
  sampleRate?: number;
  /**
   * Fields never stored: `inputs.<name>` / `outputs.<name>`, or a bare name for both (privacy).
   * `FLOWOPS_REQUEST_EXCLUDE_FIELDS`, comma-separated.
   */
  excludeFields?: readonly string[];
}

/** Keys whose values are never logged, whatever the configuration (case-insensitive, any depth). */
const SECRET_KEY =
  /(api[_-]?key|secret|password|passwd|token|authorization|credential|connection[_-]?string)/i;
export const REDACTED = "***";

/** The logging options the environment sets. */
export function loggingOptionsFromEnv(env: NodeJS.ProcessEnv): RequestLoggingOptions {
  const rate = env["FLOWOPS_REQUEST_SAMPLE_RATE"];
  const fields = env["FLOWOPS_REQUEST_EXCLUDE_FIELDS"];
  return {
    ...(rate !== undefined && rate !== "" ? { sampleRate: Number(rate) } : {}),
    ...(fields
      ? {
          excludeFields: fields
            .split(",")
            .map((f) => f.trim())
            .filter(Boolean),
        }
      : {}),
  };
}

/** Whether this request is logged: a fresh draw against the sample rate. */
export function isSampled(options: RequestLoggingOptions, random: () => number): boolean {
  const rate = options.sampleRate ?? 1;
  if (!(rate > 0)) return false;
  return rate >= 1 || random() < rate;
}

/** A copy of `values` without excluded fields and with secret-looking keys redacted. */
export function scrubFields(
  values: Record<string, unknown>,
  section: "inputs" | "outputs",
  options: RequestLoggingOptions,
): Record<string, unknown> {
  const excluded = new Set(options.excludeFields ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (excluded.has(key) || excluded.has(`${section}.${key}`)) continue;
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactDeep(value);
  }
  return out;
}

function redactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactDeep(v)]),
    );
  }
  return typeof value === "string" ? scrubRegisteredSecrets(value) : value;
}

/** What is stored instead of the user key: a truncated sha256, enough to group by user. */
export function hashUserKey(userKey: string): string {
  return createHash("sha256").update(userKey).digest("hex").slice(0, 16);
}
