import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: { root: string; version: string } | undefined;

/** The flowops package (folder and version), found upwards from this file: from src/, dist/src/ or a bundle in dist/. */
export function packageInfo(): { root: string; version: string } {
  cached ??= findPackage();
  return cached;
}

function findPackage(): { root: string; version: string } {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === "flowops") return { root: directory, version: manifest.version ?? "0.0.0" };
    } catch {
      // not here: look one folder up
    }
    directory = path.dirname(directory);
  }
  return { root: process.cwd(), version: "0.0.0" };
}
