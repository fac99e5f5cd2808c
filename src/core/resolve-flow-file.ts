import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { FlowDefinition } from "./flow-definition.js";

/**
 * Finds a file a flow names (a node's `source.path`), relative to the flow folder. Like promptflow, a
 * file may also come from `additional_includes`: an included file counts as if it sat in the flow
 * folder under its own name, an included folder as a subfolder of the same name. Returns the absolute
 * path, or undefined when the file is nowhere.
 */
export function resolveFlowFile(
  definition: Pick<FlowDefinition, "directory" | "additional_includes">,
  relativePath: string,
): string | undefined {
  const direct = path.resolve(definition.directory, relativePath);
  if (isFile(direct)) return direct;
  const wanted = path.normalize(relativePath);
  for (const include of definition.additional_includes) {
    const included = path.resolve(definition.directory, include);
    const base = path.basename(included);
    if (wanted === base && isFile(included)) return included;
    if (wanted.startsWith(base + path.sep)) {
      const inside = path.join(included, wanted.slice(base.length + 1));
      if (isFile(inside)) return inside;
    }
  }
  return undefined;
}

/** Whether an `additional_includes` entry (file or folder) exists, relative to the flow folder. */
export function includeExists(definition: Pick<FlowDefinition, "directory">, include: string): boolean {
  return existsSync(path.resolve(definition.directory, include));
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Where python looks for a flow's modules: the flow folder, then what `additional_includes` brings in
 * as if copied there (an included file's folder, an included folder's parent), symlinks followed.
 */
export function pythonImportRoots(
  definition: Pick<FlowDefinition, "directory" | "additional_includes">,
): string[] {
  const roots = [definition.directory];
  for (const include of definition.additional_includes) {
    const included = path.resolve(definition.directory, include);
    let info: ReturnType<typeof statSync> | undefined;
    try {
      info = statSync(included);
    } catch {
      continue;
    }
    // A file imports by its own name, a folder as a package: both from the folder that holds them.
    const root = path.dirname(included);
    if (!info.isFile() && !info.isDirectory()) continue;
    if (!roots.includes(root)) roots.push(root);
  }
  return roots;
}
