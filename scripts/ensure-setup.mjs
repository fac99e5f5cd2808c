#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: installs the locked dependencies when
// node_modules is missing or older than package-lock.json, builds the CLI and the studio's UI bundle when
// dist/ is older than their sources. It says what it is doing and how long each step took, and keeps npm's own output to errors (the install-script
// approvals live in package.json's `allowScripts`, which npm 11 reads; see `npm install-scripts ls`).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const say = (message) => process.stderr.write(`flowops: ${message}\n`);

/** Runs an npm command quietly (errors still show); exits with npm's code if it fails. */
function step(title, args, { stdout = "ignore" } = {}) {
  say(`${title}...`);
  const started = Date.now();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const done = spawnSync(
    npm,
    [...args, "--loglevel=error", "--no-audit", "--no-fund", "--no-update-notifier"],
    {
      cwd: root,
      stdio: ["ignore", stdout, "inherit"],
      shell: process.platform === "win32",
    },
  );
  if (done.status !== 0) {
    say(`${title} failed (exit ${done.status ?? done.signal}); run 'npm ${args.join(" ")}' to see why`);
    process.exit(done.status ?? 1);
  }
  say(`${title}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const installed = join(root, "node_modules", ".package-lock.json");
if (mtime(installed) < mtime(join(root, "package-lock.json"))) {
  // Measured (2-core machine shared with other jobs, npm cache warm, GitHub unreachable): 633 s, of which
  // about 8 minutes compiling better-sqlite3, the one native dependency, from source with node-gyp
  // because its prebuilt binary could not be downloaded. Where the download works no compiler runs.
  // `npm ci` also builds dist/ (the `prepare` script).
  step(
    "installing the locked dependencies with npm ci (first run only: minutes if better-sqlite3 has to be compiled)",
    ["ci"],
  );
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

// The outputs of `npm run build`: the compiled sources, the CLI and Functions bundles (and the CLI's
// CommonJS build), the studio's UI.
const built = Math.min(
  mtime(join(root, "dist", "src", "cli", "main.js")),
  mtime(join(root, "dist", "bundle", "cli.mjs")),
  mtime(join(root, "dist", "cli", "cli.cjs")),
  mtime(join(root, "dist", "studio", "assets", "studio.js")),
);
const sources = Math.max(
  newestSource(join(root, "src")),
  existsSync(join(root, "functions")) ? newestSource(join(root, "functions")) : 0,
);
// tsc reports type errors on stdout: keep it.
if (built < sources) step("building dist/ (npm run build)", ["run", "build"], { stdout: "inherit" });
