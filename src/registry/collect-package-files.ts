import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { UserError } from "../core/errors.js";
import { parseVariant } from "../core/flow-plan.js";
import { readFlowDefinition } from "../core/read-flow-definition.js";
import type { PackageFilterOptions } from "./package-filter.js";
import type { PackageFile } from "./package-manifest.js";
import { PackageError, toPackagePath, walkPackageFolder } from "./walk-package-folder.js";

export { PackageError };

/**
 * The files of a flow folder as they are registered: every file under the folder (minus the excluded
 * ones), plus each `additional_includes` entry copied in under its own name (a file at the package
 * root, a folder as a subfolder: where `resolveFlowFile` looks for it). When the flow has includes,
 * its YAML is rewritten without `additional_includes`, so the package is self-contained.
 */
export async function collectFlowFiles(
  flowDir: string,
  options: { defaultVariant?: string } & PackageFilterOptions = {},
): Promise<PackageFile[]> {
  const definition = await readFlowDefinition(flowDir);
  const collected = await walkPackageFolder(definition.directory, options);
  const files = options.defaultVariant
    ? withDefaultVariant(collected, definition, options.defaultVariant)
    : collected;
  if (definition.additional_includes.length === 0) return files;
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const include of definition.additional_includes) {
    const source = path.resolve(definition.directory, include);
    const info = await stat(source).catch(() => undefined);
    if (!info) {
      throw new PackageError(
        "IncludeNotFound",
        `additional_includes entry '${include}' of ${definition.file} does not exist (looked at ${source}). Fix the path or remove the entry.`,
        { location: { file: definition.file }, field: "additional_includes" },
      );
    }
    const base = path.basename(source);
    const added = info.isDirectory()
      ? (await walkPackageFolder(source, options)).map((file) => ({ ...file, path: `${base}/${file.path}` }))
      : [{ path: base, bytes: await readFile(source) }];
    for (const file of added) {
      if (byPath.has(file.path)) {
        throw new PackageError(
          "IncludeClash",
          `additional_includes entry '${include}' of ${definition.file} would add '${file.path}', which the flow folder already has. Rename one of them.`,
          { location: { file: definition.file }, field: "additional_includes" },
        );
      }
      byPath.set(file.path, file);
    }
  }
  const yamlPath = toPackagePath(path.relative(definition.directory, definition.file));
  const yamlFile = byPath.get(yamlPath);
  if (yamlFile) byPath.set(yamlPath, { path: yamlPath, bytes: withoutIncludes(yamlFile.bytes) });
  return [...byPath.values()];
}

/** The files of a data set: one file (kept under its own name) or every file of a folder. */
export async function collectDataFiles(
  source: string,
  options: PackageFilterOptions = {},
): Promise<PackageFile[]> {
  const info = await stat(source).catch(() => undefined);
  if (!info) {
    throw new PackageError("DataNotFound", `Cannot register the data at '${source}': it does not exist.`, {
      location: { file: source },
    });
  }
  if (info.isDirectory()) return walkPackageFolder(source, options);
  return [{ path: path.basename(source), bytes: await readFile(source) }];
}

/**
 * The files with the flow YAML's `node_variants.<node>.default_variant_id` set to the variant named by
 * `${node.variant_id}`: registering a flow "with variant_1" packages a version whose default is that
 * variant (what an experiment picked), the rest of the folder unchanged.
 */
function withDefaultVariant(
  files: PackageFile[],
  definition: Awaited<ReturnType<typeof readFlowDefinition>>,
  reference: string,
): PackageFile[] {
  const { node, variant } = parseVariant(reference);
  const variants = definition.node_variants[node];
  if (!variants || !(variant in variants.variants)) {
    const known = Object.entries(definition.node_variants).flatMap(([n, v]) =>
      Object.keys(v.variants).map((id) => `\${${n}.${id}}`),
    );
    throw new UserError(
      "InvalidVariant",
      `--variant '${reference}': ${definition.file} has no such variant. Its variants: ${known.join(", ") || "(none)"}.`,
      { field: "variant", location: { file: definition.file } },
    );
  }
  const yamlPath = toPackagePath(path.relative(definition.directory, definition.file));
  return files.map((file) => {
    if (file.path !== yamlPath) return file;
    const document = parseDocument(file.bytes.toString("utf8"));
    document.setIn(["node_variants", node, "default_variant_id"], variant);
    return { path: file.path, bytes: Buffer.from(document.toString()) };
  });
}

function withoutIncludes(bytes: Buffer): Buffer {
  const document = parseDocument(bytes.toString("utf8"));
  document.delete("additional_includes");
  return Buffer.from(document.toString());
}
