import nunjucks from "nunjucks";
import { toJsonFilter } from "./jinja-filters.js";
import { escapeValueText } from "./role-escape.js";

/**
 * The nunjucks environment prompts render in. It cannot reach the host:
 * - no loader, so `{% include %}`, `{% import %}`, `{% extends %}` fail;
 * - autoescape off (prompts are text, not HTML);
 * - every template runs against a guarded copy of nunjucks' runtime: member lookups take only string,
 *   number and boolean keys (an array, object or function key is refused, whatever it would coerce to;
 *   a macro's output is read as its text) and refuse `constructor`, `prototype` and `__*` names after
 *   that; functions have no members at all (so `range.call`, `cycler.next.constructor` and the like
 *   are refused); variable lookups see only the template's own variables, its context's own keys and
 *   nunjucks' globals (`range`, `cycler`, `joiner`), never inherited names like `toString`. So
 *   `range[["constructor"]]("...")()`, `""[["constructor"]][["constructor"]]`, keys built with `~`,
 *   `join` or `first`, and `{% set k = ["constructor"] %}{{ cycler[k] }}` cannot reach `Function`.
 * It also speaks a little Python, as promptflow's Jinja2 prompts expect: `True`/`False`/`None`, dict
 * `.items()`/`.keys()`/`.values()`/`.get()`, string `.strip()`/`.lower()`/`.upper()`/`.startswith()`...,
 * booleans print as `True`/`False`, `None` as `None`, lists one item per line (promptflow's ChatInputList),
 * plus Jinja filters nunjucks lacks (`tojson`, `items`, `map`, `max`, `min`, `unique`).
 */

const isBlockedName = (name: unknown): boolean =>
  typeof name === "string" && (name === "constructor" || name === "prototype" || name.startsWith("__"));

type Fn = (...args: unknown[]) => unknown;
type Runtime = Record<string, unknown> & {
  memberLookup: (obj: unknown, key: unknown) => unknown;
  contextOrFrameLookup: (context: never, frame: never, name: string) => unknown;
  suppressValue: (value: unknown, autoescape: boolean) => unknown;
};
const baseRuntime = (nunjucks as unknown as { runtime: Runtime }).runtime;

const own = (obj: object, key: string): boolean => Object.hasOwn(obj, key);
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

function pythonDictMember(obj: Record<string, unknown>, key: string): Fn | undefined {
  switch (key) {
    case "items":
      return () => Object.entries(obj);
    case "keys":
      return () => Object.keys(obj);
    case "values":
      return () => Object.values(obj);
    case "get":
      return (k, fallback) => (typeof k === "string" && own(obj, k) ? obj[k] : (fallback ?? null));
    default:
      return undefined;
  }
}

const stripChars = (s: string, chars: unknown, start: boolean, end: boolean): string => {
  if (typeof chars !== "string") return start && end ? s.trim() : start ? s.trimStart() : s.trimEnd();
  let a = 0;
  let b = s.length;
  while (start && a < b && chars.includes(s[a]!)) a++;
  while (end && b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
};

function pythonStringMember(s: string, key: string): Fn | undefined {
  switch (key) {
    case "strip":
      return (chars) => stripChars(s, chars, true, true);
    case "lstrip":
      return (chars) => stripChars(s, chars, true, false);
    case "rstrip":
      return (chars) => stripChars(s, chars, false, true);
    case "lower":
      return () => s.toLowerCase();
    case "upper":
      return () => s.toUpperCase();
    case "startswith":
      return (p) => s.startsWith(String(p));
    case "endswith":
      return (p) => s.endsWith(String(p));
    case "replace":
      return (a, b) => s.split(String(a)).join(String(b));
    case "split":
      return (sep) =>
        sep === undefined || sep === null ? s.trim().split(/\s+/).filter(Boolean) : s.split(String(sep));
    case "join":
      return (items) => (Array.isArray(items) ? items.map(String).join(s) : "");
    default:
      return undefined;
  }
}

function refuse(name: string): never {
  throw new Error(`prompt templates cannot access '${name}'`);
}

/** The property key a template may use: strings (checked), numbers and booleans; anything else throws. */
function memberKey(key: unknown): string | number | undefined {
  if (key === undefined || key === null) return undefined;
  if (typeof key === "number") return key;
  if (typeof key === "boolean") return String(key);
  const text =
    typeof key === "string" ? key : key instanceof nunjucks.runtime.SafeString ? String(key) : undefined;
  if (text === undefined) {
    throw new Error(
      `prompt templates can only look members up by a string or a number, not by ${Array.isArray(key) ? "a list" : `a ${typeof key}`}`,
    );
  }
  if (isBlockedName(text)) refuse(text);
  return text;
}

function memberLookup(obj: unknown, rawKey: unknown): unknown {
  if (obj === undefined || obj === null) return undefined;
  const key = memberKey(rawKey);
  if (typeof obj === "function") refuse(typeof key === "string" ? key : String(rawKey));
  if (key === undefined) return undefined;
  if (typeof key === "string") {
    const python =
      typeof obj === "string"
        ? pythonStringMember(obj, key)
        : isPlainObject(obj) && !own(obj, key)
          ? pythonDictMember(obj, key)
          : undefined;
    if (python) return python;
  }
  const value = (obj as Record<PropertyKey, unknown>)[key as PropertyKey];
  if (typeof value === "function") return (...args: unknown[]) => (value as Fn).apply(obj, args);
  return value;
}

const PYTHON_CONSTANTS: Record<string, unknown> = { True: true, False: false, None: null };

interface FrameLike {
  variables: Record<string, unknown>;
  parent?: FrameLike | null;
}
interface ContextLike {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

/** nunjucks' lookup (frames, then the context, then globals), over own keys only. */
function contextOrFrameLookup(context: ContextLike, frame: FrameLike, name: string): unknown {
  if (isBlockedName(name)) return undefined;
  for (let f: FrameLike | null | undefined = frame; f; f = f.parent) {
    if (own(f.variables, name) && f.variables[name] !== undefined) return f.variables[name];
  }
  if (own(context.ctx, name)) return context.ctx[name];
  if (own(context.env.globals, name)) return context.env.globals[name];
  return own(PYTHON_CONSTANTS, name) ? PYTHON_CONSTANTS[name] : undefined;
}

/** How a value prints into a prompt, as Python's `str()` would print it in Jinja2. */
export function promptText(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "None";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return value.map(promptText).join("\n");
  if (isPlainObject(value)) return JSON.stringify(value);
  return String(value);
}

/** A macro's output (or a `{% call %}` body): template text whose printed values were already escaped. */
class MacroOutput extends nunjucks.runtime.SafeString {}

/** While a chat prompt renders: the texts printed as they are (prompt-node results, already escaped). */
let chatRender: { trusted: ReadonlySet<string> } | undefined;

/**
 * Renders with every printed value escaped for chat parsing (role-escape.ts), except macro outputs and
 * the `trusted` texts. Rendering is synchronous, so the flag cannot leak into another render.
 */
export function withValueEscaping<T>(trusted: ReadonlySet<string>, render: () => T): T {
  const outer = chatRender;
  chatRender = { trusted };
  try {
    return render();
  } finally {
    chatRender = outer;
  }
}

function suppressValue(value: unknown, autoescape: boolean): unknown {
  if (chatRender) {
    if (typeof value === "number") return value;
    if (value instanceof MacroOutput) return String(value);
    if (typeof value === "string" && chatRender.trusted.has(value)) return value;
    const text = value instanceof nunjucks.runtime.SafeString ? String(value) : promptText(value);
    return escapeValueText(text);
  }
  if (typeof value === "string" || typeof value === "number") return value;
  if (value !== null && typeof value === "object" && value instanceof nunjucks.runtime.SafeString) {
    return baseRuntime.suppressValue(value, autoescape);
  }
  return promptText(value);
}

/** The guarded runtime every prompt template runs against. */
export const guardedRuntime: Runtime = {
  ...baseRuntime,
  memberLookup,
  contextOrFrameLookup,
  suppressValue,
  SafeString: MacroOutput,
};

function keywordArgs(args: unknown[]): Record<string, unknown> {
  const last = args[args.length - 1];
  return last && typeof last === "object" && (last as { __keywords?: boolean }).__keywords
    ? (last as Record<string, unknown>)
    : {};
}

function createEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment([], { autoescape: false, trimBlocks: true, throwOnUndefined: false });
  env.addFilter("tojson", (value: unknown, ...rest: unknown[]) => {
    const indent = typeof rest[0] === "number" ? rest[0] : keywordArgs(rest).indent;
    return new nunjucks.runtime.SafeString(
      toJsonFilter(value, typeof indent === "number" ? indent : undefined),
    );
  });
  env.addFilter("items", (value: unknown) => (isPlainObject(value) ? Object.entries(value) : []));
  env.addFilter("map", (value: unknown, ...rest: unknown[]) => {
    const items = Array.isArray(value) ? value : [];
    const kw = keywordArgs(rest);
    if (typeof kw.attribute === "string") {
      const parts = kw.attribute.split(".");
      return items.map((item) => parts.reduce<unknown>((v, p) => memberLookup(v, p), item) ?? kw.default);
    }
    const filterName = rest[0];
    if (typeof filterName !== "string") return items;
    const filter = env.getFilter(filterName) as Fn;
    const extra = rest.slice(1).filter((a) => a !== kw || Object.keys(kw).length > 0);
    return items.map((item) => filter(item, ...extra));
  });
  const compare = (a: unknown, b: unknown): number =>
    (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  env.addFilter("max", (value: unknown) =>
    Array.isArray(value) && value.length ? [...value].sort(compare).at(-1) : undefined,
  );
  env.addFilter("min", (value: unknown) =>
    Array.isArray(value) && value.length ? [...value].sort(compare)[0] : undefined,
  );
  env.addFilter("unique", (value: unknown) => (Array.isArray(value) ? [...new Set(value)] : value));
  return env;
}

let shared: nunjucks.Environment | undefined;

/** The one shared, host-isolated environment (filters only; no loader, no globals beyond nunjucks'). */
export function promptEnvironment(): nunjucks.Environment {
  shared ??= createEnvironment();
  return shared;
}
