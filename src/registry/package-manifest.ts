import { createHash } from "node:crypto";
import { UserError } from "../core/errors.js";

/** One file of a package: its `/`-separated path inside the package and its bytes. */
export interface PackageFile {
  path: string;
  bytes: Buffer;
}

/** One line of a manifest: the file's sha256 and its path. */
export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

/**
 * A package's manifest is the `sha256sum`-style listing of its files, sorted by path (byte order):
 * one `<sha256 hex>  <size>  <path>` line per file. The version hash is the sha256 of that text, so
 * it covers every relative path and every byte, and nothing else (no timestamps, no modes, no order
 * of discovery): the same folder hashes the same on every machine.
 */
export function buildManifest(files: readonly PackageFile[]): {
  entries: ManifestEntry[];
  text: string;
  hash: string;
} {
  const entries = files
    .map((file) => ({
      path: file.path,
      sha256: createHash("sha256").update(file.bytes).digest("hex"),
      size: file.bytes.length,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const text = entries.map((entry) => `${entry.sha256}  ${entry.size}  ${entry.path}\n`).join("");
  return { entries, text, hash: createHash("sha256").update(text).digest("hex") };
}

/** A manifest that cannot be trusted: a malformed line, an unsafe or repeated path. */
export class ManifestError extends UserError {}

/**
 * Reads a manifest's text back into entries. Every path must be a safe relative package path (see
 * checkPackagePath) and appear once; `what` names the version in errors.
 */
export function parseManifest(text: string, what = "a registered version"): ManifestEntry[] {
  const seen = new Set<string>();
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^([0-9a-f]{64}) {2}(\d+) {2}(.+)$/.exec(line);
      if (!match) {
        throw new ManifestError(
          "RegistryManifestCorrupt",
          `The manifest of ${what} has a malformed line: ${line.slice(0, 200)}`,
        );
      }
      const entry = { sha256: match[1] as string, size: Number(match[2]), path: match[3] as string };
      const problem = packagePathProblem(entry.path) ?? (seen.has(entry.path) ? "appears twice" : undefined);
      if (problem) {
        throw new ManifestError(
          "RegistryManifestUnsafe",
          `The manifest of ${what} has the entry '${entry.path.slice(0, 200)}', which ${problem}. Nothing was written: the registered content is not safe to unpack.`,
        );
      }
      seen.add(entry.path);
      return entry;
    });
}

/**
 * Why a path cannot be a package path, or undefined when it can: package paths are relative,
 * `/`-separated, with no empty, `.` or `..` segment, no backslash, drive letter or control character.
 */
export function packagePathProblem(packagePath: string): string | undefined {
  if (packagePath.startsWith("/") || /^[A-Za-z]:/.test(packagePath)) return "is an absolute path";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(packagePath)) return "contains a backslash or a control character";
  if (packagePath.split("/").some((segment) => segment === "" || segment === "." || segment === ".."))
    return "has an empty, '.' or '..' segment";
  return undefined;
}
