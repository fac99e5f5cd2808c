import { readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { parseKeyValues } from "./parse-key-values.js";

/**
 * `flow test --inputs`: `key=value` pairs, or (promptflow's `--inputs sample.json`) the path of one
 * JSON file of inputs, or a JSONL file whose first line is used. Values that are not text are passed
 * as JSON text, which the engine converts to the declared input types.
 */
export function parseInputsOption(
  values: readonly string[] | undefined,
  cwd = process.cwd(),
): Record<string, string> {
  if (values?.length !== 1 || values[0]!.includes("=") || !/\.jsonl?$/i.test(values[0]!)) {
    return parseKeyValues(values, "--inputs");
  }
  const file = path.resolve(cwd, values[0]!);
  let parsed: unknown;
  try {
    const text = readFileSync(file, "utf8");
    const first = /\.jsonl$/i.test(file) ? (text.split("\n").find((line) => line.trim() !== "") ?? "") : text;
    parsed = JSON.parse(first);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new UserError(
      "InvalidArgument",
      `--inputs ${values[0]}: cannot read it as JSON (${reason}). Pass key=value pairs or a JSON file of inputs.`,
      { field: "--inputs" },
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UserError("InvalidArgument", `--inputs ${values[0]}: expected a JSON object of inputs.`, {
      field: "--inputs",
    });
  }
  return Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}
