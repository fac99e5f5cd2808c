import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { cachedDataVersionTag } from "node:v8";
import vm from "node:vm";
import { IMPORT_HOOK } from "../core/import-module.js";
import { privateCacheDirectory } from "../core/private-cache-directory.js";

/**
 * Loads the CommonJS build of the CLI (dist/cli, scripts/build-cached-cli.mjs) with a V8 code cache
 * per file, so that a start neither parses nor compiles again the code an earlier start ran: about a
 * third of `flow test`'s start-up was V8 compiling the bundle. Node 20 has no compile cache of its own
 * (module.enableCompileCache came in 22) and takes cached data for scripts only, hence CommonJS files.
 *
 * The cache lives in the private compile cache (`<tmp>/flowops-<uid>/v8/<tag>`, V8's tag for its
 * version, flags and CPU features), one file per bundle file, named by the file's name (esbuild puts a
 * hash of each chunk's content in it), size and a hash of its text for the entry. V8 refuses a cache
 * it cannot use; such a file is then compiled as usual and its cache written again. Caches are written
 * once the command is done (`save`), with every function compiled until then.
 */
export async function loadCachedBundle(entry: string): Promise<CachedBundle> {
  const tag = cachedDataVersionTag();
  const directory = await privateCacheDirectory(path.join("v8", String(tag)));
  (globalThis as { [IMPORT_HOOK]?: unknown })[IMPORT_HOOK] = (specifier: string) => import(specifier);
  const modules = new Map<string, { exports: unknown }>();
  const unsaved: { script: vm.Script; cacheFile: string }[] = [];

  function load(file: string): unknown {
    const loaded = modules.get(file);
    if (loaded) return loaded.exports;
    const source = readFileSync(file, "utf8");
    const cacheFile = directory ? path.join(directory, cacheName(file, source)) : undefined;
    const cachedData = cacheFile ? readCache(cacheFile) : undefined;
    // The file is the function expression to call (exports, require, module, __filename, __dirname,
    // the file's URL): its text is compiled as it is, without a copy.
    const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
    if (cacheFile && (!cachedData || script.cachedDataRejected)) unsaved.push({ script, cacheFile });
    const module = { exports: {} as unknown };
    modules.set(file, module);
    const real = createRequire(file);
    const require = Object.assign(
      (id: string): unknown =>
        id.startsWith(".") && id.endsWith(".mjs")
          ? load(path.resolve(path.dirname(file), id.replace(/\.mjs$/, ".cjs")))
          : real(id),
      { resolve: real.resolve, cache: real.cache },
    );
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(
      module.exports,
      module.exports,
      require,
      module,
      file,
      path.dirname(file),
      pathToFileURL(file).href,
    );
    return module.exports;
  }

  return {
    exports: load(path.resolve(entry)) as Record<string, unknown>,
    save() {
      const saved = unsaved.splice(0);
      // A command that changed V8's flags (run create's heap growth) would write caches that starts
      // with the usual flags refuse: keep the ones made under the flags this start had.
      if (cachedDataVersionTag() !== tag) return;
      for (const { script, cacheFile } of saved) writeCache(cacheFile, script.createCachedData());
    },
  };
}

export interface CachedBundle {
  /** The entry file's exports. */
  exports: Record<string, unknown>;
  /** Writes the code cache of every file loaded without a usable one (errors are ignored). */
  save(): void;
}

/** Chunk names carry esbuild's hash of their content; the entry's name does not, so its text is hashed. */
function cacheName(file: string, source: string): string {
  // The file was just read whole: its size is its text's, with no stat.
  const name = path.basename(file, ".cjs");
  const hash = /-[A-Z0-9]{8}$/.test(name)
    ? ""
    : `-${createHash("sha256").update(source).digest("hex").slice(0, 16)}`;
  return `${name}${hash}-${Buffer.byteLength(source)}.cache`;
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Whole file or nothing, as another process may read it at the same time. */
function writeCache(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // Not cached: the next start compiles this file again.
  }
}
