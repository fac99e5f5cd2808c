import { createHash } from "node:crypto";

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

/** Reads a manifest's text back into entries. */
export function parseManifest(text: string): ManifestEntry[] {
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^([0-9a-f]{64}) {2}(\d+) {2}(.+)$/.exec(line);
      if (!match) throw new Error(`Corrupt registry manifest line: ${line}`);
      return { sha256: match[1] as string, size: Number(match[2]), path: match[3] as string };
    });
}
