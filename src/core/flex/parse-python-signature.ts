import type { FlowValueType } from "../flow-definition.js";

/** One parameter read from a Python `def` line: its name, mapped type and literal default. */
export interface PythonParameterInfo {
  name: string;
  type: FlowValueType;
  annotation?: string;
  /** Present when the parameter has a default (a literal that could be read, else undefined). */
  default?: unknown;
  hasDefault: boolean;
}

export interface PythonFunctionInfo {
  params: PythonParameterInfo[];
  returns?: string;
}

const TYPES: Record<string, FlowValueType> = {
  str: "string",
  int: "int",
  float: "double",
  bool: "bool",
  list: "list",
  List: "list",
  dict: "object",
  Dict: "object",
};

/**
 * Reads the signature of `def name(...)` (top level, or a method when `className` is given) from
 * Python source, without running it: parameter names, annotations mapped to flow types and literal
 * defaults. Good for the simple signatures flex flow entries have; undefined when not found.
 */
export function parsePythonSignature(
  source: string,
  name: string,
  className?: string,
): PythonFunctionInfo | undefined {
  let text = source;
  if (className) {
    const start = new RegExp(`^class\\s+${className}\\b.*:\\s*$`, "m").exec(source);
    if (!start) return undefined;
    const rest = source.slice(start.index + start[0].length);
    const end = /^\S/m.exec(rest);
    text = end ? rest.slice(0, end.index) : rest;
  }
  const def = new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*\\(`, "m").exec(text);
  if (!def) return undefined;
  const open = def.index + def[0].length;
  const close = matchingParen(text, open);
  if (close < 0) return undefined;
  const returns = /^\s*->\s*([^:]+):/.exec(text.slice(close + 1))?.[1]?.trim();
  const params = splitTopLevel(text.slice(open, close))
    .map((part) => part.trim())
    .filter((part) => part && part !== "/" && part !== "*" && !part.startsWith("*"))
    .map(parseParameter)
    .filter((p) => p.name !== "self" && p.name !== "cls");
  return { params, ...(returns ? { returns } : {}) };
}

/** Field names of `@dataclass class Name:` / `class Name(TypedDict):` in the same source. */
export function parsePythonRecordFields(source: string, className: string): string[] | undefined {
  const start = new RegExp(`^class\\s+${className}\\b.*:\\s*$`, "m").exec(source);
  if (!start) return undefined;
  const before = source.slice(0, start.index).trimEnd();
  const isRecord = /@dataclass[^\n]*$/.test(before) || /TypedDict/.test(start[0]);
  if (!isRecord) return undefined;
  const rest = source.slice(start.index + start[0].length);
  const end = /^\S/m.exec(rest);
  const body = end ? rest.slice(0, end.index) : rest;
  return [...body.matchAll(/^\s+([A-Za-z_]\w*)\s*:/gm)].map((m) => m[1]!);
}

function parseParameter(text: string): PythonParameterInfo {
  const [head, ...defaultParts] = splitTopLevel(text, "=");
  const defaultText = defaultParts.join("=").trim();
  const [rawName, ...annotationParts] = head!.split(":");
  const name = rawName!.trim();
  const annotation = annotationParts.join(":").trim() || undefined;
  const base = annotation
    ?.replace(/^Optional\[(.*)\]$/, "$1")
    .split("[")[0]
    ?.trim();
  const info: PythonParameterInfo = {
    name,
    type: base ? (TYPES[base] ?? "object") : "string",
    hasDefault: defaultParts.length > 0,
  };
  if (annotation) info.annotation = annotation;
  if (info.hasDefault) {
    const value = pythonLiteral(defaultText);
    if (value !== undefined) info.default = value;
  }
  return info;
}

/** A Python literal (string, number, True/False/None, simple list/dict via JSON) or undefined. */
function pythonLiteral(text: string): unknown {
  if (/^(['"]).*\1$/s.test(text)) return text.slice(1, -1);
  if (text === "True") return true;
  if (text === "False") return false;
  if (text === "None") return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  try {
    return JSON.parse(
      text
        .replace(/'/g, '"')
        .replace(/\bTrue\b/g, "true")
        .replace(/\bFalse\b/g, "false"),
    );
  } catch {
    return undefined;
  }
}

function matchingParen(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function splitTopLevel(text: string, separator = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === separator && depth === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}
