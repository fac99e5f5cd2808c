import { readFile } from "node:fs/promises";

/**
 * A fast path for the common TypeScript code node: a `.ts`/`.mts` file that imports nothing but
 * Node built-ins (`node:` specifiers) and uses no CommonJS or file-location globals. Such a file is
 * compiled with esbuild's transform (no loader hooks, no worker thread) and imported from a `data:`
 * URL, with an inline source map that names the original file. Anything else returns undefined and
 * is loaded through tsx as before, so relative imports, packages and `require` keep working.
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
  let code: string;
  try {
    const { transform } = await import("esbuild");
    ({ code } = await transform(source, {
      loader: "ts",
      format: "esm",
      platform: "node",
      target: "node20",
      sourcefile: absolutePath,
      sourcemap: "inline",
    }));
  } catch {
    return undefined; // tsx reports the error as it always has.
  }
  return `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
}
