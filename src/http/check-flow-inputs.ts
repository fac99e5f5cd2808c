import type { FlowInputDefinition } from "../core/flow-definition.js";
import { RequestError } from "./http-errors.js";

const KIND: Record<string, string> = {
  string: "a string",
  int: "a whole number",
  double: "a number",
  bool: "true or false",
  list: "a JSON list",
  object: "a JSON object",
  image: "an image (a data URL or an http(s) URL)",
};

/**
 * Checks the JSON types of a caller's inputs against the flow's declared inputs before anything runs:
 * a value the engine would not coerce to the declared type (null for a typed input, a list or number
 * for an object, an object for an int...) is a 400 naming the input, so a node never receives a value
 * of another type than the flow declares. Strings keep promptflow's coercions ("3" for an int, JSON
 * text for a list or object); the engine checks those.
 */
export function checkFlowInputs(
  declared: Readonly<Record<string, FlowInputDefinition>>,
  inputs: Record<string, unknown>,
): void {
  for (const name in declared) {
    if (!Object.hasOwn(inputs, name)) continue;
    const definition = declared[name]!;
    const value = inputs[name];
    if (value === null) {
      if (definition.optional || definition.default === null) continue;
      throw wrongType(name, definition, "null");
    }
    if (typeof value === "string") {
      if (definition.type === "object" && !looksLikeJsonObject(value))
        throw wrongType(name, definition, "a string");
      continue;
    }
    if (!fits(definition.type, value)) throw wrongType(name, definition, describe(value));
    if (definition.type === "int" && typeof value === "number" && !Number.isSafeInteger(Math.trunc(value))) {
      throw new RequestError(
        400,
        `'${name}' must be a whole number between ±${Number.MAX_SAFE_INTEGER}`,
        name,
      );
    }
  }
}

/** Whether a non-string, non-null JSON value can stand for the declared type. */
function fits(type: string, value: unknown): boolean {
  switch (type) {
    case "int":
    case "double":
      return (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean";
    case "bool":
      return typeof value === "boolean";
    case "list":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && !Array.isArray(value);
    default:
      // A string input takes any JSON value (as its JSON text); images are the engine's to check.
      return true;
  }
}

function wrongType(name: string, definition: FlowInputDefinition, got: string): RequestError {
  return new RequestError(
    400,
    `'${name.slice(0, 100)}' must be ${KIND[definition.type] ?? definition.type}, not ${got}`,
    name,
  );
}

function looksLikeJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return Number.isFinite(value) ? "a number" : "a non-finite number";
  return `a ${typeof value}`;
}
