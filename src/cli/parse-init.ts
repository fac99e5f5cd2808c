import { readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { parseKeyValues } from "./parse-key-values.js";

/**
 * promptflow's `--init`: a flex class entry's init arguments, as `key=value` pairs or as the path of a
 * JSON file (`--init init.json`). A value written as a JSON object or list (`model_config='{...}'`)
 * is parsed; other values stay strings (the class's annotations coerce them in the worker).
 */
export function parseInit(
  values: readonly string[] | undefined,
  cwd = process.cwd(),
): Record<string, unknown> | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length === 1 && !values[0]!.includes("=")) return readInitFile(path.resolve(cwd, values[0]!));
  const init: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(parseKeyValues(values, "--init"))) {
    const text = raw.trim();
    if (!/^[[{]/.test(text)) {
      init[key] = raw;
      continue;
    }
    try {
      init[key] = JSON.parse(text);
    } catch (error) {
      throw new UserError(
        "InvalidArgument",
        `--init ${key}: '${text.slice(0, 60)}' looks like JSON but is not (${(error as Error).message}): quote it as JSON, or put the init values in a JSON file and pass --init FILE.json.`,
        { field: "--init" },
      );
    }
  }
  return init;
}

function readInitFile(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new UserError(
      "InvalidArgument",
      `--init ${file}: cannot read it as JSON (${reason}). Pass key=value pairs or a JSON file with the init values.`,
      { field: "--init" },
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UserError("InvalidArgument", `--init ${file}: expected a JSON object of init values.`, {
      field: "--init",
    });
  }
  return value as Record<string, unknown>;
}
