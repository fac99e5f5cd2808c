#!/usr/bin/env node
// Bundles the studio's UI (src/studio/ui: preact, dagre, Chart.js) into dist/studio, the files the
// studio serves: index.html, assets/studio.js and assets/studio.css. Everything is in the package, so
// the studio works offline (no CDN). Part of `npm run build`. `--out DIR` writes elsewhere (tests).
import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const source = join(root, "src", "studio", "ui");
const outFlag = process.argv.indexOf("--out");
const output =
  outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(root, "dist", "studio");

await rm(output, { recursive: true, force: true });
await mkdir(join(output, "assets"), { recursive: true });
await build({
  entryPoints: { studio: join(source, "main.tsx") },
  outdir: join(output, "assets"),
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: true,
  sourcemap: true,
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "eof",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
});
await copyFile(join(source, "studio.css"), join(output, "assets", "studio.css"));
await copyFile(join(source, "index.html"), join(output, "index.html"));
