import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cachedDataVersionTag, setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { importModule } from "../core/import-module.js";
import { cacheRoot } from "../core/private-cache-directory.js";
import { loadCachedBundle } from "./load-cached-bundle.js";

const PARAMETERS = "exports, require, module, __filename, __dirname, __flowopsImportMetaUrl";
const wrap = (code: string) => `(function (${PARAMETERS}) {"use strict";\n${code}\n})`;

/** A bundle in the shape scripts/build-cached-cli.mjs writes: an entry and a chunk it requires. */
function writeBundle(entryText: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "flowops-cached-bundle-"));
  mkdirSync(path.join(dir, "chunks"));
  const chunk = `chunk-${path
    .basename(dir)
    .slice(-6)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "X")}AB`;
  writeFileSync(
    path.join(dir, "chunks", `${chunk}.cjs`),
    wrap(
      `exports.twice = (n) => n * 2; exports.url = __flowopsImportMetaUrl; exports.strict = this === undefined || (function () { return this === undefined; })();`,
    ),
  );
  writeFileSync(
    path.join(dir, "cli.cjs"),
    wrap(
      `const chunk = require("./chunks/${chunk}.mjs"); const os = require("node:os");\n` +
        `exports.main = () => ({ value: chunk.twice(21), url: chunk.url, strict: chunk.strict, eol: os.EOL, same: require("./chunks/${chunk}.mjs") === chunk });\n${entryText}`,
    ),
  );
  return dir;
}

function cacheFiles(): string[] {
  const directory = path.join(cacheRoot(), "v8", String(cachedDataVersionTag()));
  try {
    return readdirSync(directory).map((name) => path.join(directory, name));
  } catch {
    return [];
  }
}

describe("loadCachedBundle", () => {
  it("runs the entry with its chunks, then reuses the code cache it wrote", async () => {
    const dir = writeBundle(`// ${Date.now()}`);
    const before = new Set(cacheFiles());
    const first = await loadCachedBundle(path.join(dir, "cli.cjs"));
    const result = (first.exports["main"] as () => Record<string, unknown>)();
    expect(result).toEqual({
      value: 42,
      url: `file://${path.join(dir, "chunks")}/${readdirSync(path.join(dir, "chunks"))[0]}`,
      strict: true,
      eol: "\n",
      same: true,
    });
    first.save();
    const written = cacheFiles().filter((file) => !before.has(file));
    expect(written).toHaveLength(2); // the entry and the chunk
    for (const file of written) expect(statSync(file).mode & 0o077).toBe(0);
    const times = written.map((file) => statSync(file).mtimeMs);

    // A second start reads the caches V8 accepts and writes nothing.
    const second = await loadCachedBundle(path.join(dir, "cli.cjs"));
    expect((second.exports["main"] as () => { value: number })().value).toBe(42);
    second.save();
    expect(written.map((file) => statSync(file).mtimeMs)).toEqual(times);
  });

  it("keys the entry's cache by its text, and gives bundled code a real import()", async () => {
    const dir = writeBundle("// one");
    const before = new Set(cacheFiles());
    (await loadCachedBundle(path.join(dir, "cli.cjs"))).save();
    writeFileSync(path.join(dir, "cli.cjs"), wrap(`exports.main = () => 1; // two ${Date.now()}`));
    const edited = await loadCachedBundle(path.join(dir, "cli.cjs"));
    expect((edited.exports["main"] as () => number)()).toBe(1);
    edited.save();
    expect(cacheFiles().filter((file) => !before.has(file))).toHaveLength(3);
    const module = await importModule("data:text/javascript,export default 7;");
    expect(module["default"]).toBe(7);
  });

  it("writes no cache when the command changed V8's flags, as the usual starts could not use it", async () => {
    const dir = writeBundle(`// flags ${Date.now()}`);
    const before = new Set(cacheFiles());
    const bundle = await loadCachedBundle(path.join(dir, "cli.cjs"));
    setFlagsFromString("--heap-growing-percent=25");
    try {
      bundle.save();
    } finally {
      setFlagsFromString("--heap-growing-percent=0");
    }
    expect(cacheFiles().filter((file) => !before.has(file))).toEqual([]);
  });
});
