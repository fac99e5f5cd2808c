#!/usr/bin/env node
// The `flowops` command: runs the bundled CLI (dist/bundle, built by `npm run build`, which `npm ci`
// runs via `prepare`), or the compiled sources (dist/src) when they are newer than the bundle (after a
// bare `tsc -p tsconfig.build.json`). Stack traces (shown under --verbose) point into the TypeScript
// sources through source maps.
import { statSync } from "node:fs";

const mtime = (file) => statSync(new URL(file, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const bundled = mtime("../dist/bundle/cli.mjs") >= mtime("../dist/src/cli/main.js");
if (process.argv.includes("--verbose")) process.setSourceMapsEnabled(true);
const { main } = await import(bundled ? "../dist/bundle/cli.mjs" : "../dist/src/cli/main.js");

process.exitCode = await main(process.argv.slice(2));
