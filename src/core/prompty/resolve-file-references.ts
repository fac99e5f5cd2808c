import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { FlowValidationError } from "../errors.js";

const FILE_REFERENCE = /^\$\{file:(.+)\}$/;

/**
 * promptflow's `${file:PATH}` anywhere in a prompty's front matter (`model.configuration`,
 * `model.parameters.tools`, `sample`...): replaced by the file's content, read relative to the
 * prompty's folder: a .json file as JSON, a .yaml/.yml file as YAML, anything else as text.
 * A file that cannot be read or parsed is a FlowValidationError naming the field.
 */
export async function resolveFileReferences(
  value: unknown,
  file: string,
  field: string[] = [],
): Promise<unknown> {
  if (typeof value === "string") {
    const match = FILE_REFERENCE.exec(value.trim());
    return match ? readReference(match[1]!.trim(), file, field) : value;
  }
  if (Array.isArray(value)) {
    return Promise.all(
      value.map((item, index) => resolveFileReferences(item, file, [...field, String(index)])),
    );
  }
  if (value !== null && typeof value === "object") {
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      resolved[key] = await resolveFileReferences(item, file, [...field, key]);
    return resolved;
  }
  return value;
}

async function readReference(reference: string, file: string, field: string[]): Promise<unknown> {
  const target = path.resolve(path.dirname(file), reference);
  const fail = (reason: string) =>
    new FlowValidationError([
      {
        code: "PromptyFileReference",
        message: `'\${file:${reference}}': ${reason}. The path is read relative to the prompty's folder.`,
        file,
        field: field.join("."),
      },
    ]);
  const text = await readFile(target, "utf8").catch(() => {
    throw fail(`cannot read ${target}`);
  });
  const extension = path.extname(target).toLowerCase();
  try {
    if (extension === ".json") return JSON.parse(text) as unknown;
    if (extension === ".yaml" || extension === ".yml") return parseYaml(text) as unknown;
  } catch (error) {
    throw fail(`${target} is not valid ${extension.slice(1).toUpperCase()} (${(error as Error).message})`);
  }
  return text;
}
