/**
 * A best-effort, line-by-line translation of a simple Python function body into TypeScript: blocks
 * by indentation, `if/elif/else`, `for ... in`, `while`, assignments (`let` on first use), f-strings,
 * `True/False/None`, `and/or/not`, `len()`, `str()`, common string and list methods, `log_metric`.
 * The result is a starting point to review, not a compiler: lines it cannot read are kept as comments.
 */
export function translatePythonBody(lines: string[], declared: Set<string>): string[] {
  const out: string[] = [];
  const indents: number[] = [];
  const base = Math.min(...lines.filter((l) => l.trim()).map(indentOf));
  for (const raw of lines) {
    if (!raw.trim()) continue;
    const indent = indentOf(raw) - base;
    let line = raw.trim();
    while (indents.length > 0 && indent <= indents.at(-1)!) {
      indents.pop();
      out.push(`${pad(indents.length)}}`);
    }
    const depth = indents.length;
    if (line.startsWith("#")) {
      out.push(`${pad(depth)}//${line.slice(1)}`);
      continue;
    }
    const comment = / #(.*)$/.exec(line);
    if (comment && !/["']/.test(line.slice(comment.index))) line = line.slice(0, comment.index).trimEnd();
    if (line.endsWith(":")) {
      const head = line.slice(0, -1).trim();
      const opened = openBlock(head, declared);
      if (out.length > 0 && /^(else|elif)\b/.test(head) && out.at(-1)!.trim() === "}") {
        out[out.length - 1] = `${pad(depth)}} ${opened}`;
      } else out.push(`${pad(depth)}${opened}`);
      indents.push(indent);
      continue;
    }
    out.push(`${pad(depth)}${statement(line, declared)}`);
  }
  while (indents.length > 0) {
    indents.pop();
    out.push(`${pad(indents.length)}}`);
  }
  return out;
}

function openBlock(head: string, declared: Set<string>): string {
  let m = /^if\s+(.+)$/.exec(head);
  if (m) return `if (${expression(m[1]!)}) {`;
  m = /^elif\s+(.+)$/.exec(head);
  if (m) return `else if (${expression(m[1]!)}) {`;
  if (head === "else") return "else {";
  m = /^while\s+(.+)$/.exec(head);
  if (m) return `while (${expression(m[1]!)}) {`;
  m = /^for\s+(\w+)\s+in\s+range\((.+)\)$/.exec(head);
  if (m) {
    const args = m[2]!.split(",").map((a) => expression(a.trim()));
    const [from, to] = args.length > 1 ? [args[0], args[1]] : ["0", args[0]];
    return `for (let ${m[1]} = ${from}; ${m[1]} < ${to}; ${m[1]}++) {`;
  }
  m = /^for\s+(\w+)\s*,\s*(\w+)\s+in\s+(.+)\.items\(\)$/.exec(head);
  if (m) return `for (const [${m[1]}, ${m[2]}] of Object.entries(${expression(m[3]!)})) {`;
  m = /^for\s+(\w+)\s*,\s*(\w+)\s+in\s+enumerate\((.+)\)$/.exec(head);
  if (m) return `for (const [${m[1]}, ${m[2]}] of ${expression(m[3]!)}.entries()) {`;
  m = /^for\s+(\w+)\s+in\s+(.+)$/.exec(head);
  if (m) {
    declared.add(m[1]!);
    return `for (const ${m[1]} of ${expression(m[2]!)}) {`;
  }
  if (head === "try") return "try {";
  m = /^except\b.*?(?:as\s+(\w+))?$/.exec(head);
  if (m) return `catch (${m[1] ?? "error"}) {`;
  if (head === "finally") return "finally {";
  return `{ // TODO(flowops migrate): translate '${head}:'`;
}

function statement(line: string, declared: Set<string>): string {
  if (line === "pass") return "// pass";
  if (line === "break" || line === "continue") return `${line};`;
  let m = /^return\b\s*(.*)$/.exec(line);
  if (m) return m[1] ? `return ${expression(m[1])};` : "return;";
  m = /^raise\s+(\w+)\((.*)\)$/.exec(line);
  if (m) return `throw new Error(${expression(m[2]!) || `"${m[1]}"`});`;
  m = /^(\w+)\s*(\+|-|\*|\/)=\s*(.+)$/.exec(line);
  if (m) return `${m[1]} ${m[2]}= ${expression(m[3]!)};`;
  m = /^(\w+)\s*(?::\s*[^=]+)?=\s*(.+)$/.exec(line);
  if (m && !m[2]!.startsWith("=")) {
    const first = !declared.has(m[1]!);
    declared.add(m[1]!);
    return `${first ? "let " : ""}${m[1]} = ${expression(m[2]!)};`;
  }
  m = /^(\w+)\s*,\s*(\w+)\s*=\s*(.+)$/.exec(line);
  if (m) {
    declared.add(m[1]!);
    declared.add(m[2]!);
    return `let [${m[1]}, ${m[2]}] = ${expression(m[3]!)};`;
  }
  if (/^[\w.[\]"']+\s*=/.test(line)) {
    const [target, ...value] = line.split("=");
    return `${expression(target!.trim())} = ${expression(value.join("=").trim())};`;
  }
  if (/^(import|from)\s/.test(line)) return `// ${line}`;
  return `${expression(line)};`;
}

/** Rewrites a Python expression into TypeScript (common forms only). */
export function expression(text: string): string {
  const literals: string[] = [];
  const keep = (literal: string): string => `§${literals.push(literal) - 1}§`;
  let e = text.trim();
  e = e.replace(/\bf(["'])((?:(?!\1).)*)\1/g, (_m, _q, body: string) =>
    keep(`\`${body.replace(/\{([^}]+)\}/g, (_n, inner: string) => `\${${expression(inner)}}`)}\``),
  );
  e = e.replace(/(["'])(?:\\.|(?!\1).)*\1/g, (literal) => keep(literal));
  e = e.replace(/(§\d+§)\.join\(([^()]+)\)/g, "$2.join($1)");
  e = rewriteCalls(e, {
    len: ([x]) => `${x}.length`,
    str: ([x]) => `String(${x})`,
    int: ([x]) => `Math.trunc(Number(${x}))`,
    float: ([x]) => `Number(${x})`,
    round: ([x, digits]) => (digits ? `Number((${x}).toFixed(${digits}))` : `Math.round(${x})`),
    sum: ([x]) => `${x}.reduce((a, b) => a + b, 0)`,
    abs: ([x]) => `Math.abs(${x})`,
    min: (args) => `Math.min(${args.join(", ")})`,
    max: (args) => `Math.max(${args.join(", ")})`,
  });
  e = e.replace(/\bprint\(/g, "console.error(");
  e = e.replace(/\blog_metric\(/g, "context.logMetric(");
  e = e.replace(/\.lower\(\)/g, ".toLowerCase()").replace(/\.upper\(\)/g, ".toUpperCase()");
  e = e
    .replace(/\.strip\(\)/g, ".trim()")
    .replace(/\.lstrip\(\)/g, ".trimStart()")
    .replace(/\.rstrip\(\)/g, ".trimEnd()");
  e = e.replace(/\.split\(\)/g, ".trim().split(/\\s+/)");
  e = e.replace(/\.startswith\(/g, ".startsWith(").replace(/\.endswith\(/g, ".endsWith(");
  e = e.replace(/\.append\(/g, ".push(");
  e = e.replace(/\.count\(([^()]+)\)/g, ".filter((item) => item === $1).length");
  e = e.replace(/\.items\(\)/g, ".entries()");
  e = e.replace(/\.get\(([^,()]+),\s*([^()]+)\)/g, "[$1] ?? $2").replace(/\.get\(([^,()]+)\)/g, "[$1]");
  e = e
    .replace(/\bTrue\b/g, "true")
    .replace(/\bFalse\b/g, "false")
    .replace(/\bNone\b/g, "null");
  e = e
    .replace(/\bis not\b/g, "!==")
    .replace(/\bis\b/g, "===")
    .replace(/\s==\s/g, " === ")
    .replace(/\s!=\s/g, " !== ");
  e = e.replace(/\bnot in\b/g, "__NOT_IN__");
  e = e.replace(/([\w.[\]§]+)\s+__NOT_IN__\s+([\w.[\]]+)/g, "!$2.includes($1)");
  e = e.replace(/([\w.[\]§]+)\s+in\s+([\w.[\]]+)/g, "$2.includes($1)");
  e = e
    .replace(/\band\b/g, "&&")
    .replace(/\bor\b/g, "||")
    .replace(/\bnot\s+/g, "!");
  e = e.replace(/(.+?)\s+if\s+(.+?)\s+else\s+(.+)/, "($2) ? $1 : $3");
  return e.replace(/§(\d+)§/g, (_m, index: string) => literals[Number(index)]!);
}

/** Rewrites calls of builtins (`len(x)` → `x.length`), arguments translated and split at top level. */
function rewriteCalls(text: string, rules: Record<string, (args: string[]) => string>): string {
  const call = new RegExp(`\\b(${Object.keys(rules).join("|")})\\(`, "g");
  let result = "";
  let last = 0;
  for (let match = call.exec(text); match; match = call.exec(text)) {
    if (match.index > 0 && text[match.index - 1] === ".") continue;
    const open = match.index + match[0].length;
    let depth = 1;
    let close = open;
    for (; close < text.length && depth > 0; close++) {
      if (text[close] === "(") depth++;
      else if (text[close] === ")") depth--;
    }
    if (depth !== 0) break;
    const inner = text.slice(open, close - 1);
    const args = splitArgs(inner).map((arg) => rewriteCalls(arg.trim(), rules));
    result += text.slice(last, match.index) + rules[match[1]!]!(args);
    last = close;
    call.lastIndex = close;
  }
  return result + text.slice(last);
}

function splitArgs(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of text) {
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const pad = (depth: number): string => "  ".repeat(depth + 1);
