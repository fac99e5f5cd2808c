/**
 * Linear-time scanning helpers for chat prompts (no backtracking regex touches caller text).
 * `isSpace` is ECMAScript's `\s`; line breaks are the ones `^` sees in a multiline regex.
 */

export const CHAT_ROLES = ["system", "user", "assistant", "function", "tool"] as const;

export function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export const isLineBreak = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** The first index at or after `i` that is not a space. */
export function skipSpaces(text: string, i: number): number {
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Whether `word` (lower-case ASCII) is written at `i`, ASCII letters compared case-insensitively. */
export function wordAt(text: string, i: number, word: string, ignoreCase: boolean): boolean {
  if (i < 0 || i + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    let c = text.charCodeAt(i + k);
    if (ignoreCase && c >= 65 && c <= 90) c += 32;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** The chat role word written at `i` (any ASCII casing), as the canonical role. */
export function roleAt(text: string, i: number): (typeof CHAT_ROLES)[number] | undefined {
  for (const role of CHAT_ROLES) if (wordAt(text, i, role, true)) return role;
  return undefined;
}

/** A role line: `[start, end)` is the whole marker (with the blank lines around it), `role` as written. */
export interface RoleMarker {
  start: number;
  end: number;
  role: string;
}

/** The first line start after the first line break at or after `i` (or past the end). */
function nextLineStart(text: string, i: number): number {
  const n = text.length;
  while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
  return i + 1;
}

/**
 * The next role marker at or after `from`, exactly as promptflow's `^\s*#?\s*(role)\s*:\s*\n` with the
 * multiline and ignore-case flags would find it (blank lines before it and after the colon belong to
 * the marker, up to its last newline), in linear time: a line start that fails is never retried from
 * a position its leading spaces already covered.
 */
export function nextRoleMarker(text: string, from: number): RoleMarker | undefined {
  const n = text.length;
  let p = from > 0 && !isLineBreak(text.charCodeAt(from - 1)) ? nextLineStart(text, from) : from;
  while (p < n) {
    const q = skipSpaces(text, p);
    let i = q;
    if (text.charCodeAt(i) === 35) i = skipSpaces(text, i + 1);
    const role = roleAt(text, i);
    if (role) {
      const colon = skipSpaces(text, i + role.length);
      if (text.charCodeAt(colon) === 58) {
        const after = skipSpaces(text, colon + 1);
        let nl = after - 1;
        while (nl > colon && text.charCodeAt(nl) !== 10) nl--;
        if (nl > colon) return { start: p, end: nl + 1, role: text.slice(i, i + role.length) };
      }
    }
    p = nextLineStart(text, q);
  }
  return undefined;
}

/** Splits like `text.split(/^\s*#?\s*(role)\s*:\s*\n/gim)`: text, role, text, role, ..., text. */
export function splitOnRoleMarkers(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  for (let m = nextRoleMarker(text, 0); m; m = nextRoleMarker(text, pos)) {
    out.push(text.slice(pos, m.start), m.role);
    pos = m.end;
  }
  out.push(text.slice(pos));
  return out;
}

/** Whether `[from, to)` holds a `\n`. */
function hasNewline(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) return true;
  return false;
}

/**
 * After a key (`name`, `tool_call_id`) ending at `i`: `\s*:\s*\n+\s*` and the start of the value that
 * follows (a non-space), or -1.
 */
function valueStartAfterKey(text: string, i: number): number {
  const colon = skipSpaces(text, i);
  if (text.charCodeAt(colon) !== 58) return -1;
  const start = skipSpaces(text, colon + 1);
  return start < text.length && hasNewline(text, colon + 1, start) ? start : -1;
}

/** `\s*\n*#{0,2}\s*content\s*:` at `x`: the colon's index, or -1. */
function contentColonAt(text: string, x: number): number {
  let i = skipSpaces(text, x);
  if (text.charCodeAt(i) === 35) i++;
  if (text.charCodeAt(i) === 35) i++;
  i = skipSpaces(text, i);
  if (!text.startsWith("content", i)) return -1;
  i = skipSpaces(text, i + 7);
  return text.charCodeAt(i) === 58 ? i : -1;
}

/**
 * promptflow's `\n*#{0,2}\s*KEY\s*:\s*\n+\s*(\S+)\s*\n*#{0,2}\s*content\s*:\s*\n?(.*)` (re.search, DOTALL)
 * in linear time: the value and the raw content after `content:`, or undefined.
 */
export function keyAndContent(text: string, key: string): { value: string; content: string } | undefined {
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
    const start = valueStartAfterKey(text, at + key.length);
    if (start === -1) continue;
    let end = start;
    while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
    // (\S+) is greedy: the longest value after which `content:` still follows.
    for (let x = end; x > start; x--) {
      const colon = contentColonAt(text, x);
      if (colon !== -1) return { value: text.slice(start, x), content: text.slice(colon + 1) };
    }
  }
  return undefined;
}

/** promptflow's `\n*#{0,2}\s*tool_calls\s*:\s*\n+\s*(\[.*?\])` (re.search, DOTALL): the bracketed text. */
export function toolCallsText(text: string): string | undefined {
  for (let at = text.indexOf("tool_calls"); at !== -1; at = text.indexOf("tool_calls", at + 1)) {
    const start = valueStartAfterKey(text, at + 10);
    if (start === -1 || text.charCodeAt(start) !== 91) continue;
    const close = text.indexOf("]", start + 1);
    if (close === -1) return undefined; // no later occurrence can close either
    return text.slice(start, close + 1);
  }
  return undefined;
}
