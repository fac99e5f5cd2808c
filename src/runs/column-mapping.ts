import { InputError } from "../core/errors.js";
import type { FlowInputDefinition } from "../core/flow-definition.js";
import { coerceValue } from "../core/resolve-inputs.js";

/** `--column-mapping`: flow input → `${data.col}`, `${run.outputs.col}`, `${run.inputs.col}` or a literal. */
export type ColumnMapping = Record<string, unknown>;

/** What a line's inputs are taken from: its data row, and the base run's line with the same number. */
export interface MappingSources {
  data?: Record<string, unknown>;
  run?: { inputs: Record<string, unknown>; outputs?: Record<string, unknown> };
}

type Source = { from: "data" | "run.outputs" | "run.inputs"; path: string[] };

const MAPPING_REFERENCE = /^\$\{(data|run\.outputs|run\.inputs)\.([^}]+)\}$/;

function parseMapping(value: unknown): Source | undefined {
  if (typeof value !== "string") return undefined;
  const match = MAPPING_REFERENCE.exec(value.trim());
  if (!match) return undefined;
  return { from: match[1] as Source["from"], path: match[2]!.split(".") };
}

/**
 * Checks a column mapping against the flow's inputs before any line runs: every key must be a flow
 * input, and every `${...}` must be one of the forms above. Throws InputError naming the fix.
 */
export function validateColumnMapping(
  mapping: ColumnMapping | undefined,
  inputs: Record<string, FlowInputDefinition>,
  options: { hasBaseRun: boolean },
): void {
  for (const [key, value] of Object.entries(mapping ?? {})) {
    if (!(key in inputs)) {
      throw new InputError(
        "UnknownMappedInput",
        `--column-mapping names '${key}', which is not an input of the flow (inputs: ${Object.keys(inputs).join(", ") || "none"}).`,
        { field: key },
      );
    }
    if (typeof value === "string" && value.trim().startsWith("${") && !parseMapping(value)) {
      throw new InputError(
        "BadColumnMapping",
        `--column-mapping ${key}='${value}' is not understood: use '\${data.COLUMN}', '\${run.outputs.NAME}' or '\${run.inputs.NAME}'.`,
        { field: key },
      );
    }
    if (parseMapping(value)?.from.startsWith("run.") && !options.hasBaseRun) {
      throw new InputError(
        "MissingBaseRun",
        `--column-mapping ${key}='${String(value)}' reads a base run, but no --run was given. Add --run BASE_RUN_NAME.`,
        { field: key },
      );
    }
  }
}

/**
 * The flow inputs of one line: mapped values first, then a data column with the input's name, then
 * the input's default. Strings are converted to the declared type (CSV columns are text). Throws
 * InputError (the line fails, the run goes on) when a value is missing or does not convert.
 */
export function mapLineInputs(
  inputs: Record<string, FlowInputDefinition>,
  mapping: ColumnMapping | undefined,
  sources: MappingSources,
  lineNumber: number,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(inputs)) {
    let value: unknown;
    if (mapping && name in mapping) {
      const source = parseMapping(mapping[name]);
      value = source ? lookUp(source, sources, name, lineNumber) : mapping[name];
    } else if (sources.data && name in sources.data) {
      value = sources.data[name];
    } else if ("default" in definition) {
      value = definition.default;
    } else {
      throw new InputError(
        "MissingInput",
        `Line ${lineNumber}: flow input '${name}' has no value. Add a '${name}' column to the data, map one with ` +
          `--column-mapping ${name}='\${data.COLUMN}', or give the input a default.`,
        { field: name },
      );
    }
    result[name] = convert(value, definition, name, lineNumber);
  }
  return result;
}

function lookUp(source: Source, sources: MappingSources, input: string, lineNumber: number): unknown {
  const root =
    source.from === "data"
      ? sources.data
      : source.from === "run.outputs"
        ? sources.run?.outputs
        : sources.run?.inputs;
  const reference = `\${${source.from}.${source.path.join(".")}}`;
  if (root === undefined) {
    const why =
      source.from === "data"
        ? "the run has no data row for it"
        : "the base run has no completed line with that number";
    throw new InputError(
      "MissingMappedValue",
      `Line ${lineNumber}: cannot resolve ${reference} for '${input}': ${why}.`,
      {
        field: input,
      },
    );
  }
  let value: unknown = root;
  for (const key of source.path) {
    if (value === null || typeof value !== "object" || !(key in value)) {
      const available = Object.keys(root).join(", ");
      throw new InputError(
        "MissingMappedValue",
        `Line ${lineNumber}: ${reference} (mapped to '${input}') does not exist; available: ${available || "none"}.`,
        { field: input },
      );
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The engine's own conversion (one source of truth), with the line number added to its message. */
function convert(value: unknown, definition: FlowInputDefinition, name: string, lineNumber: number): unknown {
  try {
    return coerceValue(definition.type, value, name);
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(error.code, `Line ${lineNumber}: ${error.message}`, { field: name });
    }
    throw error;
  }
}
