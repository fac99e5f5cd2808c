import nunjucks from "nunjucks";

interface AstNode {
  typename: string;
  fields: string[];
  value?: unknown;
  [field: string]: unknown;
}

/** Fields whose symbols are names of something else (a filter, a test, a keyword) or bind a new name. */
const NOT_VARIABLES: Record<string, string[]> = {
  Filter: ["name"],
  FilterAsync: ["name"],
  Is: ["right"],
  Pair: ["key"],
  For: ["name"],
  AsyncEach: ["name"],
  AsyncAll: ["name"],
  Set: ["targets"],
  Macro: ["name", "args"],
  Caller: ["name", "args"],
  Import: ["target"],
  FromImport: ["names"],
};

/**
 * The variables a Jinja2 template reads from its context (jinja2's `meta.find_undeclared_variables`,
 * as promptflow lists a prompt's inputs): every free name, without filter and test names, keyword
 * names, and names the template binds itself (`for`, `set`, macros). Throws on a syntax error.
 */
export function templateVariables(source: string): Set<string> {
  // nunjucks's parser is public API (nunjucks.parser.parse) but missing from its type definitions.
  const { parser } = nunjucks as unknown as {
    parser: { parse(src: string, ext: unknown[], opts: object): unknown };
  };
  const root = parser.parse(source, [], {}) as AstNode;
  const used = new Set<string>();
  const bound = new Set<string>();
  const collect = (node: unknown, into: Set<string>): void => {
    if (Array.isArray(node)) {
      for (const child of node) collect(child, into);
      return;
    }
    if (!node || typeof node !== "object" || !("typename" in node)) return;
    const ast = node as AstNode;
    if (ast.typename === "Symbol") {
      into.add(String(ast.value));
      return;
    }
    const skipped = NOT_VARIABLES[ast.typename] ?? [];
    for (const field of ast.fields) {
      const bindsNames = skipped.includes(field);
      if (bindsNames && ["For", "AsyncEach", "AsyncAll", "Set", "Macro"].includes(ast.typename))
        collect(ast[field], bound);
      else if (!bindsNames) collect(ast[field], into);
    }
  };
  collect(root, used);
  for (const name of bound) used.delete(name);
  return used;
}
