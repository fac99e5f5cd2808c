import ignore, { type Ignore } from "ignore";
import { parse } from "yaml";
import { connectionTypes } from "../connections/connection-schema.js";

/**
 * What is never packaged unless asked for (gitignore syntax, at any depth): version control and tool
 * state, caches, and files that hold secrets (`.env`, `.env.*`, the Functions `local.settings.json`).
 * Connection files (promptflow connection YAML or JSON with a key in it) are left out by content, see
 * isConnectionFile. `.recordings` IS packaged (and hashed): recorded model answers are what make a
 * version replay offline, and a version's bytes must be exactly what it runs with; they hold model
 * answers, not keys (the recorder never stores request headers).
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  ".git/",
  ".flowops/",
  ".promptflow/",
  "node_modules/",
  "__pycache__/",
  ".pytest_cache/",
  ".venv/",
  ".DS_Store",
  "*.pyc",
  "*.pyo",
  ".env",
  ".env.*",
  "local.settings.json",
];

/** Names that were always left out (kept for callers that list them). */
export const EXCLUDED_NAMES: ReadonlySet<string> = new Set(
  DEFAULT_EXCLUDES.filter((pattern) => !pattern.includes("*")).map((pattern) => pattern.replace(/\/$/, "")),
);

export interface PackageFilterOptions {
  /** More gitignore-style patterns to leave out. */
  exclude?: readonly string[];
  /** gitignore-style patterns to package even though a default leaves them out (e.g. `.env.example`). */
  include?: readonly string[];
}

/** Whether a package-relative path (`/`-separated; folders end with `/`) is left out. */
export type PackageFilter = (relativePath: string) => boolean;

export function createPackageFilter(options: PackageFilterOptions = {}): PackageFilter {
  const rules: Ignore = ignore().add([
    ...DEFAULT_EXCLUDES,
    ...(options.exclude ?? []),
    ...(options.include ?? []).map((pattern) => `!${pattern}`),
  ]);
  return (relativePath) => rules.ignores(relativePath);
}

/** Whether an explicit `include` pattern names this path (connection files are packaged only then). */
export function isExplicitlyIncluded(relativePath: string, options: PackageFilterOptions = {}): boolean {
  return (
    (options.include ?? []).length > 0 &&
    ignore()
      .add([...(options.include ?? [])])
      .ignores(relativePath)
  );
}

const CONNECTION_FILE = /\.(ya?ml|json)$/i;
const MAX_CONNECTION_FILE = 64 * 1024;

/**
 * Whether a file is a connection file with a secret in it: promptflow's connection YAML (its `$schema`
 * names a `*Connection.schema.json`) or a connection object (a known connection `type` with `api_key`,
 * `secrets` or AWS keys) whose secret is written out rather than an `${env:VAR}` reference.
 */
export function isConnectionFile(name: string, bytes: Buffer): boolean {
  if (!CONNECTION_FILE.test(name) || bytes.length > MAX_CONNECTION_FILE) return false;
  const text = bytes.toString("utf8");
  if (/Connection\.schema\.json/i.test(text)) return true;
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return false;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record["type"] !== "string" || !(connectionTypes as readonly string[]).includes(record["type"]))
    return false;
  const secrets = [
    record["api_key"],
    record["secret_access_key"],
    record["session_token"],
    ...(record["secrets"] && typeof record["secrets"] === "object" ? Object.values(record["secrets"]) : []),
  ];
  return secrets.some(
    (secret) =>
      typeof secret === "string" && secret !== "" && !/^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(secret),
  );
}
