import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { privateCacheDirectory } from "./private-cache-directory.js";

/**
 * A fast path for the common TypeScript code node: a `.ts`/`.mts` file that imports nothing but
 * Node built-ins (`node:` specifiers) and uses no CommonJS or file-location globals. Such a file is
 * compiled with esbuild's transform (no loader hooks, no worker thread) and imported from a `data:`
 * URL, with an inline source map that names the original file. Anything else returns undefined and
 * is loaded through tsx as before, so relative imports, packages and `require` keep working.
 *
 * The compiled code is kept in the private compile cache (`<tmp>/flowops-<uid>/typescript`, keyed by
 * the file's path and text and esbuild's version and options), as tsx kept its own: running the same
 * flow again neither loads esbuild nor starts its service process (~20 ms of every `flow test`).
 */
const PLAIN_SOURCE = /\.(ts|mts)$/i;
const NEEDS_LOCATION = /\b(require|__dirname|__filename|module|exports)\b|import\s*\.\s*meta|import\s*\(/;
const IMPORT_FROM = /\b(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]*)\1|\bimport\s*(['"])([^'"]*)\3/g;

export async function compilePlainTypeScript(absolutePath: string): Promise<string | undefined> {
  if (!PLAIN_SOURCE.test(absolutePath)) return undefined;
  const source = await readFile(absolutePath, "utf8");
  if (NEEDS_LOCATION.test(source)) return undefined;
  for (const match of source.matchAll(IMPORT_FROM)) {
    const specifier = match[2] ?? match[4] ?? "";
    if (!specifier.startsWith("node:")) return undefined;
  }
  const cached = await cacheFile(absolutePath, source);
  let code = cached ? await readFile(cached, "utf8").catch(() => undefined) : undefined;
  if (code === undefined) {
    try {
      const { transform } = await import("esbuild");
      ({ code } = await transform(source, { ...TRANSFORM, sourcefile: absolutePath }));
    } catch {
      return undefined; // tsx reports the error as it always has.
    }
    if (cached) await writeAtomically(cached, code);
  }
  return `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
}

const TRANSFORM = {
  loader: "ts",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "inline",
} as const;

/** Where the compiled code of this file and text is cached, or undefined without a usable cache. */
async function cacheFile(absolutePath: string, source: string): Promise<string | undefined> {
  const directory = await privateCacheDirectory("typescript");
  if (!directory) return undefined;
  const key = createHash("sha256")
    .update(JSON.stringify([esbuildVersion(), TRANSFORM, absolutePath, source]))
    .digest("hex");
  return path.join(directory, `${key}.mjs`);
}

let version: string | undefined;
function esbuildVersion(): string {
  version ??= (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version;
  return version;
}

/** Writes the whole file or nothing (another process may read it at the same time); errors are ignored. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, file);
  } catch {
    // Not cached: the next run compiles again.
  }
}
