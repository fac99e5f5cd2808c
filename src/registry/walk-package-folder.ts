import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../core/errors.js";
import {
  createPackageFilter,
  isConnectionFile,
  isExplicitlyIncluded,
  type PackageFilterOptions,
} from "./package-filter.js";
import type { PackageFile } from "./package-manifest.js";

/** A file that cannot be packaged (missing include, name clash, a link out of the folder). */
export class PackageError extends UserError {}

/**
 * Every file under `root` as package files, minus what the filter leaves out (see package-filter.ts).
 * Symbolic links are followed only when they point inside `root`: a link out of the folder is an error
 * naming it, so a package never carries a file from elsewhere on the machine (`~/.ssh`, `/etc`).
 */
export async function walkPackageFolder(
  root: string,
  options: PackageFilterOptions = {},
): Promise<PackageFile[]> {
  const excluded = createPackageFilter(options);
  const realRoot = await realpath(root);
  const visited = new Set<string>([realRoot]);
  const files: PackageFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      const relative = toPackagePath(path.relative(root, full));
      let info = await lstat(full);
      if (info.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        if (target === undefined) continue; // a dangling link carries nothing
        if (!isInside(realRoot, target)) {
          throw new PackageError(
            "PackageLinkOutside",
            `${full} is a symbolic link to ${target}, outside ${root}: packages hold only the folder's own files. Copy the file into the folder, or list it in additional_includes.`,
            { location: { file: full } },
          );
        }
        info = await stat(full);
        if (info.isDirectory()) {
          if (visited.has(target)) continue; // a link back up the tree
          visited.add(target);
        }
      }
      if (info.isDirectory()) {
        if (!excluded(`${relative}/`)) await walk(full);
      } else if (info.isFile() && !excluded(relative)) {
        const bytes = await readFile(full);
        if (isConnectionFile(entry.name, bytes) && !isExplicitlyIncluded(relative, options)) continue;
        files.push({ path: relative, bytes });
      }
    }
  };
  await walk(root);
  return files;
}

export function toPackagePath(relative: string): string {
  return relative.split(path.sep).join("/");
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
