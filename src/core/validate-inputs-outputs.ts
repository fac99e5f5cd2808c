import type { FlowValueType } from "./flow-definition.js";
import { didYouMean, listNames } from "./suggest-name.js";
import type { ValidationContext } from "./validation-context.js";

export const FLOW_VALUE_TYPES: readonly FlowValueType[] = [
  "string",
  "int",
  "double",
  "bool",
  "list",
  "object",
  "image",
];

/**
 * Checks the flow's `inputs` and `outputs` sections on their own: known types, defaults that fit their
 * type and `enum`, at most one chat input / chat history / chat output, and outputs that have a
 * `${...}` reference. (Whether a reference points somewhere real is `validateReferences`' job.)
 */
export function validateInputsAndOutputs(context: ValidationContext): void {
  const { definition, report } = context;

  for (const [name, input] of Object.entries(definition.inputs)) {
    const at = ["inputs", name];
    if (!FLOW_VALUE_TYPES.includes(input.type)) {
      report(
        {
          code: "UnknownInputType",
          field: `inputs.${name}.type`,
          message: `flow input '${name}' has unknown type '${String(input.type)}'.${didYouMean(String(input.type), FLOW_VALUE_TYPES)} Use one of: ${FLOW_VALUE_TYPES.join(", ")}.`,
        },
        [...at, "type"],
      );
      continue;
    }
    if (input.default !== undefined && !fitsType(input.default, input.type)) {
      report(
        {
          code: "InputDefaultType",
          field: `inputs.${name}.default`,
          message: `the default of flow input '${name}' is ${describe(input.default)}, which is not a valid ${input.type}: change the default or the input's type.`,
        },
        [...at, "default"],
      );
    }
    if (input.enum && input.enum.length > 0 && input.default != null && !input.enum.includes(input.default)) {
      report(
        {
          code: "InputDefaultNotInEnum",
          field: `inputs.${name}.default`,
          message: `the default of flow input '${name}' is ${describe(input.default)}, which is not one of its enum values (${input.enum.map(describe).join(", ")}): pick one of them.`,
        },
        [...at, "default"],
      );
    }
    if (input.is_chat_history && input.type !== "list") {
      report(
        {
          code: "ChatHistoryType",
          field: `inputs.${name}.type`,
          message: `flow input '${name}' is the chat history (is_chat_history: true) but has type '${input.type}': chat history is a list of {inputs, outputs} turns, so give it type: list.`,
        },
        [...at, "type"],
      );
    }
  }
  // Several `is_chat_input`/`is_chat_output` flags are fine for a flow run line by line (promptflow runs
  // them); only an interactive chat needs exactly one, and `flow test --interactive` says so.
  onlyOne(context, "inputs", "is_chat_history", (name) => definition.inputs[name]?.is_chat_history === true);

  for (const [name, output] of Object.entries(definition.outputs)) {
    const at = ["outputs", name];
    if (output.type !== undefined && !FLOW_VALUE_TYPES.includes(output.type)) {
      report(
        {
          code: "UnknownOutputType",
          field: `outputs.${name}.type`,
          message: `flow output '${name}' has unknown type '${String(output.type)}'.${didYouMean(String(output.type), FLOW_VALUE_TYPES)} Use one of: ${FLOW_VALUE_TYPES.join(", ")}.`,
        },
        [...at, "type"],
      );
    }
    if (output.reference.trim() === "") {
      report(
        {
          code: "OutputReferenceMissing",
          field: `outputs.${name}.reference`,
          message: `flow output '${name}' has no reference: add 'reference: \${NODE.output}' (or \${inputs.NAME}) saying where its value comes from.`,
        },
        at,
      );
    }
  }
}

function onlyOne(
  context: ValidationContext,
  section: "inputs" | "outputs",
  flag: string,
  isSet: (name: string) => boolean,
): void {
  const flagged = Object.keys(context.definition[section]).filter(isSet);
  if (flagged.length <= 1) return;
  for (const name of flagged.slice(1)) {
    context.report(
      {
        code: "DuplicateChatFlag",
        field: `${section}.${name}.${flag}`,
        message: `${flag} is set on ${flagged.length} flow ${section} (${listNames(flagged)}): a chat flow has exactly one, so keep it on one and remove it from the others.`,
      },
      [section, name, flag],
    );
  }
}

/** Whether a YAML value can stand for a flow value of the given type, as promptflow parses them. */
export function fitsType(value: unknown, type: FlowValueType): boolean {
  if (value === null) return true; // `default:` with nothing means no default
  switch (type) {
    case "string":
      return ["string", "number", "boolean"].includes(typeof value);
    case "int":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && /^[+-]?\d+$/.test(value.trim()))
      );
    case "double":
      return (
        (typeof value === "number" && Number.isFinite(value)) ||
        (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
      );
    case "bool":
      return (
        typeof value === "boolean" || (typeof value === "string" && /^(true|false)$/i.test(value.trim()))
      );
    case "list":
      return Array.isArray(value) || (typeof value === "string" && parsesAs(value, "list"));
    case "object":
      return isPlainObject(value) || (typeof value === "string" && parsesAs(value, "object"));
    case "image":
      return typeof value === "string" || isPlainObject(value);
  }
}

function parsesAs(text: string, kind: "list" | "object"): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return kind === "list" ? Array.isArray(parsed) : isPlainObject(parsed);
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a mapping";
  return String(value);
}
