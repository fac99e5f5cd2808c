/**
 * Jinja2 filters that promptflow prompts use and nunjucks lacks, with Jinja's behaviour. `tojson` follows
 * Jinja's `htmlsafe_json_dumps` over Python's `json.dumps`: keys sorted, `", "`/`": "` separators, non-ASCII
 * as `\uXXXX`, and `<`, `>`, `&`, `'` escaped so the text is safe to embed anywhere.
 */

const HTML_SAFE: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027" };

export function toJsonFilter(value: unknown, indent?: number): string {
  const json = pythonJsonDumps(value, typeof indent === "number" && indent > 0 ? indent : undefined, 0);
  return json.replace(/[<>&']/g, (c) => HTML_SAFE[c]!);
}

function pythonJsonDumps(value: unknown, indent: number | undefined, depth: number): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return asciiString(value);
  if (typeof value === "number")
    return Number.isFinite(value) ? String(value) : value > 0 ? "Infinity" : "NaN";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === "function") return pythonJsonDumps(toJSON.call(value), indent, depth);
  const open = indent === undefined ? "" : `\n${" ".repeat(indent * (depth + 1))}`;
  const close = indent === undefined ? "" : `\n${" ".repeat(indent * depth)}`;
  const sep = indent === undefined ? ", " : `,${open}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${open}${value.map((v) => pythonJsonDumps(v, indent, depth + 1)).join(sep)}${close}]`;
  }
  if (typeof value === "object") {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return "{}";
    const record = value as Record<string, unknown>;
    const items = keys.map((k) => `${asciiString(k)}: ${pythonJsonDumps(record[k], indent, depth + 1)}`);
    return `{${open}${items.join(sep)}${close}}`;
  }
  return asciiString(String(value));
}

/** JSON string with every non-ASCII character escaped, as Python's `ensure_ascii=True`. */
function asciiString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
