#!/usr/bin/env node
// The `flowops` command: runs the bundled CLI (built by `npm run build`, which `npm ci` runs via
// `prepare`). Stack traces (shown under --verbose) point into the TypeScript sources through source maps.
if (process.argv.includes("--verbose")) process.setSourceMapsEnabled(true);
const { main } = await import("../dist/bundle/cli.mjs");

process.exitCode = await main(process.argv.slice(2));
