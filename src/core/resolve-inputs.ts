import { InputError, UserError } from "./errors.js";
import type { FlowInputDefinition, FlowValueType, Reference } from "./flow-definition.js";
import { parseReference } from "./parse-reference.js";

/**
 * Reference resolution and flow-input coercion. References are parsed once, when the executor is
 * created, into getter closures; running a line only calls them (no regex, no cloning).
 */

/** Reads a value out of whatever per-line state the executor keeps. */
export type Getter<S> = (state: S) => unknown;

const constants = new WeakSet<Getter<never>>();
const constant = <S>(value: unknown): Getter<S> => {
  const getter: Getter<S> = () => value;
  constants.add(getter as Getter<never>);
  return getter;
};

/** Whether a compiled getter always returns the same literal. */
export const isConstant = <S>(getter: Getter<S>): boolean => constants.has(getter as Getter<never>);

/**
 * Compiles a node input (a literal, a `${...}` reference, or a list/object that contains references)
 * into a getter. `bind` turns one parsed reference into a getter (the executor decides where values
 * live). Literals are returned as they are, not copied.
 */
export function compileValue<S>(
  value: unknown,
  bind: (ref: Reference, text: string) => Getter<S>,
): Getter<S> {
  if (typeof value === "string") {
    const ref = parseReference(value);
    return ref ? bind(ref, value) : constant(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => compileValue(item, bind));
    if (items.every(isConstant)) return constant(value);
    return (state) => items.map((get) => get(state));
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v, bind)] as const);
    if (entries.every(([, get]) => isConstant(get))) return constant(value);
    return (state) => {
      const out: Record<string, unknown> = {};
      for (const [k, get] of entries) out[k] = get(state);
      return out;
    };
  }
  return constant(value);
}

/** A reference that reads a property a value does not have (promptflow's InvalidReferenceProperty). */
export class InvalidReferenceError extends UserError {}

const FORBIDDEN = new Set(["constructor", "prototype", "__proto__"]);

/** Compiles `a.b.0` into a reader; `what` names the source for messages (`node 'x' output`). */
export function compilePath(path: readonly string[], what: string): (value: unknown) => unknown {
  if (path.length === 0) return (value) => value;
  const parts = path.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const shown = path.join(".");
  return (root) => {
    let value: unknown = root;
    for (const part of parts) {
      const ok =
        value !== null &&
        value !== undefined &&
        !FORBIDDEN.has(String(part)) &&
        (typeof value === "object" || typeof value === "function") &&
        part in (value as object);
      if (!ok) {
        throw new InvalidReferenceError(
          "InvalidReferenceProperty",
          `Cannot read '${shown}' of the ${what}: it has no '${part}' (the value is ${describe(value)}). Fix the reference or what the node returns.`,
        );
      }
      value = (value as Record<string | number, unknown>)[part];
    }
    return value;
  };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") {
    const keys = Object.keys(value).slice(0, 8);
    return keys.length ? `an object with ${keys.map((k) => `'${k}'`).join(", ")}` : "an empty object";
  }
  return `a ${typeof value}`;
}

/**
 * Applies defaults and coerces line inputs to the declared types, as promptflow does (`"3"` → 3 for int,
 * `"true"` → true for bool, JSON text for list/object). Undeclared keys are kept as given. A missing input
 * without a default, or a value that cannot be converted, is an InputError naming the input.
 */
export function coerceFlowInputs(
  definitions: Record<string, FlowInputDefinition>,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const name in definitions) {
    const definition = definitions[name]!;
    let value = given[name];
    if (value === undefined || (value === null && definition.optional)) {
      if (definition.optional && (definition.default === undefined || definition.default === null)) {
        out[name] = null;
        continue;
      }
      if (definition.default === undefined || definition.default === null) {
        throw new InputError("InputNotFound", `The flow input '${name}' is missing: give a value for it.`, {
          field: name,
        });
      }
      value = definition.default;
    }
    value = coerceValue(definition.type, value, name);
    if (definition.enum && !definition.enum.some((allowed) => allowed === value)) {
      throw new InputError(
        "InputValueNotAllowed",
        `The flow input '${name}' must be one of ${definition.enum.map((v) => JSON.stringify(v)).join(", ")}, not ${JSON.stringify(value)}.`,
        { field: name },
      );
    }
    out[name] = value;
  }
  return out;
}

function fail(name: string, type: FlowValueType, value: unknown, hint: string): never {
  const shown =
    typeof value === "string"
      ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value)
      : String(value);
  throw new InputError(
    "InputTypeError",
    `The flow input '${name}' must be ${type}: cannot convert ${shown}; ${hint}.`,
    {
      field: name,
    },
  );
}

/** Converts one value to a declared flow type (promptflow's `ValueType.parse`). */
export function coerceValue(type: FlowValueType, value: unknown, name: string): unknown {
  if (value === null) return null;
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      return typeof value === "object" ? JSON.stringify(value) : String(value);
    case "int":
      if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
      if (typeof value === "boolean") return value ? 1 : 0;
      if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
      return fail(name, type, value, "give a whole number such as 3");
    case "double":
      if (typeof value === "number") return value;
      if (typeof value === "boolean") return value ? 1 : 0;
      if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
        return Number(value);
      return fail(name, type, value, "give a number such as 0.5");
    case "bool":
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^\s*(true|false)\s*$/i.test(value))
        return value.trim().toLowerCase() === "true";
      return fail(name, type, value, "give true or false");
    case "list": {
      const parsed = typeof value === "string" ? parseJson(value) : value;
      if (Array.isArray(parsed)) return parsed;
      return fail(name, type, value, 'give a list, or JSON text of one such as ["a", "b"]');
    }
    case "object": {
      if (typeof value !== "string") return value;
      const parsed = parseJson(value);
      return parsed === NOT_JSON ? value : parsed;
    }
    default:
      return value;
  }
}

const NOT_JSON = Symbol("not json");
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
