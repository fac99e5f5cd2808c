import { pathToFileURL } from "node:url";
import { compilePlainTypeScript } from "./compile-plain-ts.js";
import { UserError } from "./errors.js";
import type { CodeLoader } from "./execution-types.js";
import { importModule } from "./import-module.js";

/** A code node file that cannot be loaded or has no default export function. */
export class CodeNodeLoadError extends UserError {}

const SUPPORTED = /\.(ts|mts|cts|js|mjs|cjs)$/i;
const cache = new Map<string, Promise<(...args: unknown[]) => unknown>>();

async function load(absolutePath: string): Promise<(...args: unknown[]) => unknown> {
  if (!SUPPORTED.test(absolutePath)) {
    throw new CodeNodeLoadError(
      "CodeNodeUnsupportedFile",
      `Cannot load the code node file '${absolutePath}': typescript nodes must be .ts, .mts, .js or .mjs files.`,
      { location: { file: absolutePath } },
    );
  }
  let module: Record<string, unknown>;
  try {
    const compiled = await compilePlainTypeScript(absolutePath);
    if (compiled) {
      module = await importModule(compiled);
    } else {
      // tsx is loaded with the first TypeScript file that needs it, not at start-up.
      const { tsImport } = (await importModule("tsx/esm/api")) as typeof import("tsx/esm/api");
      module = await tsImport(pathToFileURL(absolutePath).href, import.meta.url);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CodeNodeLoadError(
      "CodeNodeLoadFailed",
      `Cannot load the code node file '${absolutePath}': ${reason}`,
      {
        cause: error,
        location: { file: absolutePath },
      },
    );
  }
  let fn = module.default;
  // A CommonJS module imported as ESM puts its `module.exports.default` one level down.
  if (fn && typeof fn === "object" && typeof (fn as { default?: unknown }).default === "function") {
    fn = (fn as { default: unknown }).default;
  }
  if (typeof fn !== "function") {
    throw new CodeNodeLoadError(
      "CodeNodeNoDefaultExport",
      `The code node file '${absolutePath}' has no default export function: add \`export default function (inputs, context) { ... }\`.`,
      { location: { file: absolutePath } },
    );
  }
  return fn as (...args: unknown[]) => unknown;
}

/**
 * The default CodeLoader: imports a `.ts`/`.mts`/`.js`/`.mjs` file through tsx (no build step) and
 * returns its default export. Each path is loaded once per process; a failed load is not cached.
 */
export const loadCodeNode: CodeLoader = (absolutePath) => {
  let pending = cache.get(absolutePath);
  if (!pending) {
    pending = load(absolutePath);
    cache.set(absolutePath, pending);
    pending.catch(() => cache.delete(absolutePath));
  }
  return pending;
};
