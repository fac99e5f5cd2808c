#!/usr/bin/env node
// Puts this package's own `flowops` command into node_modules/.bin, so `npx flowops` in the repository
// runs the checkout at once and offline. (Without it, npx treats the folder as a package to install into
// its cache under ~/.npm/_npx: slow on first use, and one cache entry per checkout path.)
// Run by `npm run prepare` (so after every `npm ci`/`npm install`) and by scripts/ensure-setup.mjs.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Links `<root>/node_modules/.bin/flowops` to `<root>/bin/flowops.js`; returns true if it changed anything. */
export function linkBin(root) {
  const binDir = join(root, "node_modules", ".bin");
  const target = join(root, "bin", "flowops.js");
  if (!existsSync(join(root, "node_modules"))) return false;
  mkdirSync(binDir, { recursive: true });
  if (process.platform === "win32") {
    const shim = join(binDir, "flowops.cmd");
    if (existsSync(shim)) return false;
    writeFileSync(shim, `@node "%~dp0\\..\\..\\bin\\flowops.js" %*\r\n`);
    return true;
  }
  const link = join(binDir, "flowops");
  const wanted = relative(binDir, target);
  const current = lstatSync(link, { throwIfNoEntry: false });
  if (current?.isSymbolicLink() && readlinkSync(link) === wanted) return false;
  if (current) unlinkSync(link);
  symlinkSync(wanted, link);
  chmodSync(target, 0o755);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  linkBin(process.argv[2] ?? join(fileURLToPath(new URL("..", import.meta.url))));
}
