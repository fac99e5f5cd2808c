#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: installs the locked dependencies when
// node_modules is missing or older than package-lock.json, and builds the CLI and the studio's UI
// bundle when dist/ is older than their sources.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const run = (command) => execSync(command, { cwd: root, stdio: "inherit" });
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

const installed = join(root, "node_modules", ".package-lock.json");
if (mtime(installed) < mtime(join(root, "package-lock.json"))) {
  console.error("flowops: installing dependencies (npm ci)...");
  run("npm ci --no-audit --no-fund");
}

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|tsx|css|html)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
      newest = Math.max(newest, mtime(path));
  }
  return newest;
}

// Both outputs of `npm run build`: the compiled CLI and the studio's UI bundle.
const built = Math.min(
  mtime(join(root, "dist", "src", "cli", "main.js")),
  mtime(join(root, "dist", "studio", "assets", "studio.js")),
);
const sources = Math.max(
  newestSource(join(root, "src")),
  existsSync(join(root, "functions")) ? newestSource(join(root, "functions")) : 0,
);
if (built < sources) {
  console.error("flowops: building (npm run build)...");
  run("npm run build");
}
