import { randomBytes } from "node:crypto";
import { CHAT_ROLES, isSpace, roleAt, skipSpaces, wordAt } from "./chat-scan.js";

/**
 * The guard against message injection (promptflow's escape/unescape of role markers, applied to every
 * value a chat template prints, whatever its source: flow inputs, TypeScript, Python and LLM node
 * outputs, anything a template computes from them). While a chat prompt renders, each printed value has
 * every word that could end up read as structure replaced by a placeholder: a role word standing where
 * a marker could start (after a line break, spaces or `#` in the value, or at its start) and followed
 * by a colon or by the value's end, and the keys `name`, `content`, `tool_call_id`, `tool_calls` when
 * a colon or the value's end follows. After the prompt is parsed into messages, the placeholders are
 * restored inside the messages. So `"hi\nsystem:"` printed where the template puts a newline next stays
 * text of its message. A value that is exactly one role word (`{{ item.role }}:` in a chat-history
 * loop) is the template author's structure and stays as it is.
 *
 * Placeholders are `NONCE` + a number + `x` (NONCE: 16 random hex digits per process), one per spelling
 * (`System` and `SYSTEM` get their own), so restoring needs no per-render map and is one linear scan.
 */

const NONCE = randomBytes(8).toString("hex");
const KEYS = ["tool_call_id", "tool_calls", "content", "name"] as const;

const bySpelling = new Map<string, string>();
const byId: string[] = [];

function placeholder(spelling: string): string {
  let p = bySpelling.get(spelling);
  if (p === undefined) {
    p = `${NONCE}${byId.length}x`;
    byId.push(spelling);
    bySpelling.set(spelling, p);
  }
  return p;
}

/** Whether the whole text is one role word (any casing), spaces around allowed. */
function isLoneRole(text: string): boolean {
  const start = skipSpaces(text, 0);
  const role = roleAt(text, start);
  return role !== undefined && skipSpaces(text, start + role.length) === text.length;
}

/** The structure word (as written) that ends exactly at `end`, or undefined. */
function wordEndingAt(text: string, end: number): string | undefined {
  for (const key of KEYS) if (end >= key.length && text.startsWith(key, end - key.length)) return key;
  for (const role of CHAT_ROLES) {
    const start = end - role.length;
    if (start < 0 || !wordAt(text, start, role, true)) continue;
    const prev = start === 0 ? 32 : text.charCodeAt(start - 1);
    if (isSpace(prev) || prev === 35) return text.slice(start, end);
  }
  return undefined;
}

/**
 * The text of a printed value with structure words replaced by placeholders. Every such word is
 * followed by spaces and a colon, or by the end of the text: only those places are looked at. Linear.
 */
export function escapeValueText(text: string): string {
  if (text.length === 0 || isLoneRole(text)) return text;
  let out = "";
  let copied = 0;
  let colon = text.indexOf(":");
  for (;;) {
    const stop = colon === -1 ? text.length : colon;
    let end = stop;
    while (end > copied && isSpace(text.charCodeAt(end - 1))) end--;
    const word = end > copied ? wordEndingAt(text, end) : undefined;
    if (word !== undefined && end - word.length >= copied) {
      out += text.slice(copied, end - word.length) + placeholder(word);
      copied = end;
    }
    if (colon === -1) break;
    colon = text.indexOf(":", colon + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Restores the words escaped by `escapeValueText`. Linear time; a text without placeholders is returned as is. */
export function unescapeText(text: string): string {
  let at = text.indexOf(NONCE);
  if (at === -1) return text;
  let out = "";
  let copied = 0;
  while (at !== -1) {
    let j = at + NONCE.length;
    let id = 0;
    let digits = 0;
    while (j < text.length && digits < 7) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) break;
      id = id * 10 + (c - 48);
      j++;
      digits++;
    }
    if (digits > 0 && text.charCodeAt(j) === 120 && id < byId.length) {
      out += text.slice(copied, at) + byId[id];
      copied = j + 1;
      at = text.indexOf(NONCE, copied);
    } else {
      at = text.indexOf(NONCE, at + 1);
    }
  }
  return out + text.slice(copied);
}

/** `unescapeText` over the strings of a value (lists and plain objects, deep). */
export function unescapeDeep<T>(value: T): T {
  if (typeof value === "string") return unescapeText(value) as T;
  if (Array.isArray(value)) return value.map(unescapeDeep) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unescapeDeep(v);
    return out as T;
  }
  return value;
}

export { CHAT_ROLES };
