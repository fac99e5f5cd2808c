#!/usr/bin/env node
// The `flowops` command: runs the bundled CLI (dist/bundle, built by `npm run build`, which `npm ci`
// runs via `prepare`), or the compiled sources (dist/src) when they are newer than the bundle (after a
// bare `tsc -p tsconfig.build.json`). The bundle runs from its CommonJS build with a V8 code cache
// (dist/cli, src/cli/load-cached-bundle.ts); with source maps on (--verbose, or node
// --enable-source-maps) it runs as ES modules, whose stack traces point into the TypeScript sources.
import { statSync } from "node:fs";

const mtime = (file) => statSync(new URL(file, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const bundle = mtime("../dist/bundle/cli.mjs");
const bundled = bundle >= mtime("../dist/src/cli/main.js");
if (process.argv.includes("--verbose")) process.setSourceMapsEnabled(true);
// The CommonJS build is made from the bundle: an older one is stale.
const cached = bundled && mtime("../dist/cli/cli.cjs") >= bundle && !process.sourceMapsEnabled;
let saveCache;
let main;
if (cached) {
  const { loadCachedBundle } = await import("../dist/src/cli/load-cached-bundle.js");
  const bundle = await loadCachedBundle(new URL("../dist/cli/cli.cjs", import.meta.url).pathname);
  ({ main } = bundle.exports);
  saveCache = bundle.save;
} else {
  ({ main } = await import(bundled ? "../dist/bundle/cli.mjs" : "../dist/src/cli/main.js"));
}

process.exitCode = await main(process.argv.slice(2));
saveCache?.();
