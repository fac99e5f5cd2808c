#!/usr/bin/env node
// Bundles the two entry points that pay module loading on every start: the `flowops` CLI
// (dist/bundle/cli.mjs, run by bin/flowops.js) and the Azure Functions app (dist/bundle/functions.mjs,
// package.json "main"). Modules loaded on demand (vendor providers, Azure stores, command groups) become
// chunks of their own, so a start reads one file plus what it uses, instead of hundreds of files.
// Source maps sit beside each file (`node --enable-source-maps`, or `flowops --verbose`). The library
// (`import { loadFlow } from "flowops"`) stays the tsc output in dist/src. Part of `npm run build`.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const output = join(root, "dist", "bundle");

await rm(output, { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, "src", "cli", "main.ts"), functions: join(root, "functions", "index.ts") },
  outdir: output,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: ["node20"],
  sourcemap: true,
  logLevel: "warning",
  // Native code, the Functions host's own module, tsx (it registers its loader by file path) and esbuild (it finds its binary by file path).
  external: ["better-sqlite3", "@azure/functions-core", "tsx", "esbuild"],
  // Bundled CommonJS packages call require(): give every ES module chunk one.
  banner: {
    js: "import { createRequire as __flowopsRequire } from 'node:module'; const require = __flowopsRequire(import.meta.url);",
  },
});
