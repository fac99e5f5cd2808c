import { readFile } from "node:fs/promises";
import path from "node:path";
import { FlowValidationError } from "./errors.js";

/** A flow's `sample`: the inputs `flow test`/serve use when none are given, and a flex class's init. */
export interface FlowSample {
  inputs: Record<string, unknown>;
  init: Record<string, unknown>;
}

const FILE_REFERENCE = /^\$\{file:(.*)\}$/;

/**
 * Reads promptflow's `sample:` the way promptflow does. It is a mapping or a reference to a JSON file
 * (`${file:sample.json}`, or a bare `sample.json`). A flex flow's sample may be structured,
 * `{inputs: ..., init: ...}`, each part again a mapping or a `${file:...}` reference; anything else
 * is a flat map of inputs (a prompty's `sample`). A JSON list gives its first item (promptflow's
 * sample files for `flow test`).
 */
export async function readFlowSample(
  sample: unknown,
  directory: string,
  file: string,
  options: { structured: boolean } = { structured: true },
): Promise<FlowSample> {
  const value = await dereference(sample, directory, file, "sample");
  if (value === undefined) return { inputs: {}, init: {} };
  const structured =
    options.structured && ("inputs" in value || "init" in value) && Object.keys(value).every(isPart);
  if (!structured) return { inputs: value, init: {} };
  return {
    inputs: (await dereference(value["inputs"], directory, file, "sample.inputs")) ?? {},
    init: (await dereference(value["init"], directory, file, "sample.init")) ?? {},
  };
}

function isPart(key: string): boolean {
  return key === "inputs" || key === "init";
}

async function dereference(
  value: unknown,
  directory: string,
  file: string,
  field: string,
): Promise<Record<string, unknown> | undefined> {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    throw sampleError(file, field, `'${field}' must be a mapping or \${file:FILE.json}`);
  }
  const relative = value.trim().replace(FILE_REFERENCE, "$1").trim();
  const target = path.resolve(directory, relative);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(target, "utf8"));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw sampleError(
      file,
      field,
      `'${field}: ${value}' cannot be read as JSON (${reason}): give a mapping, or \${file:FILE.json} naming a JSON file beside the flow`,
    );
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first === null || typeof first !== "object" || Array.isArray(first))
    throw sampleError(file, field, `'${field}: ${value}' holds no JSON object`);
  return first as Record<string, unknown>;
}

function sampleError(file: string, field: string, message: string): FlowValidationError {
  return new FlowValidationError([{ code: "FlowSample", message: `${message}.`, file, field }]);
}
