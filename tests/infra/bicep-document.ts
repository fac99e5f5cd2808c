import { readFileSync } from "node:fs";
import Parser from "tree-sitter";
import bicep from "tree-sitter-bicep";

/**
 * A Bicep file parsed with the tree-sitter-bicep grammar and reduced to the
 * declarations the infra checks read: parameters, outputs, modules, resources.
 * The grammar is syntax only (no types, no symbol resolution): the checks in
 * infra-checks.ts add the cross-file references the compiler would verify.
 */
export type BicepValue =
  | { kind: "literal"; value: string | number | boolean | null; line: number }
  | { kind: "object"; properties: Map<string, BicepValue>; line: number }
  | { kind: "array"; items: BicepValue[]; line: number }
  | { kind: "expression"; text: string; line: number };

export type BicepObject = Extract<BicepValue, { kind: "object" }>;

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

export interface ParameterDeclaration {
  name: string;
  required: boolean;
  line: number;
}

export interface ModuleDeclaration {
  symbol: string;
  path: string;
  conditional: boolean;
  body: BicepValue;
  line: number;
}

export interface ResourceDeclaration {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  conditional: boolean;
  body: BicepValue;
  line: number;
}

export interface BicepDocument {
  file: string;
  text: string;
  syntaxErrors: SyntaxProblem[];
  parameters: Map<string, ParameterDeclaration>;
  outputs: Map<string, { name: string; line: number }>;
  modules: ModuleDeclaration[];
  resources: ResourceDeclaration[];
  /** Every `a.b.c` member chain in the file, with its line: used to resolve `module.outputs.x`. */
  memberChains: { path: string[]; line: number }[];
}

const parser = new Parser();
parser.setLanguage(bicep as unknown as Parser.Language);

export function parseBicepFile(file: string): BicepDocument {
  return parseBicep(file, readFileSync(file, "utf8"));
}

export function parseBicep(file: string, text: string): BicepDocument {
  const tree = parser.parse(text, null, { bufferSize: Math.max(32 * 1024, text.length * 2) });
  const document: BicepDocument = {
    file,
    text,
    syntaxErrors: collectSyntaxErrors(tree.rootNode),
    parameters: new Map(),
    outputs: new Map(),
    modules: [],
    resources: [],
    memberChains: collectMemberChains(tree.rootNode),
  };
  for (const node of tree.rootNode.namedChildren) readDeclaration(node, document);
  return document;
}

function readDeclaration(node: Parser.SyntaxNode, document: BicepDocument): void {
  const line = node.startPosition.row + 1;
  const named = node.namedChildren;
  const name = named[0]?.text ?? "";
  switch (node.type) {
    case "parameter_declaration": {
      const type = named[1];
      const hasDefault = named.length > 2;
      const nullable = type?.text.trim().endsWith("?") ?? false;
      document.parameters.set(name, { name, required: !hasDefault && !nullable, line });
      return;
    }
    case "output_declaration":
      document.outputs.set(name, { name, line });
      return;
    case "module_declaration": {
      const { body, conditional } = declarationBody(named.slice(2));
      document.modules.push({ symbol: name, path: stringValue(named[1]), conditional, body, line });
      return;
    }
    case "resource_declaration": {
      const [type = "", apiVersion = ""] = stringValue(named[1]).split("@");
      const existing = node.children.some((child) => child.type === "existing");
      const { body, conditional } = declarationBody(named.slice(2));
      document.resources.push({ symbol: name, type, apiVersion, existing, conditional, body, line });
      return;
    }
  }
}

function declarationBody(rest: Parser.SyntaxNode[]): { body: BicepValue; conditional: boolean } {
  const value = rest.at(-1);
  if (!value) return { body: { kind: "object", properties: new Map(), line: 0 }, conditional: false };
  if (value.type === "if_statement") {
    const object = value.namedChildren.find((child) => child.type === "object") ?? value;
    return { body: toValue(object), conditional: true };
  }
  return { body: toValue(value), conditional: false };
}

/** Converts an expression node to a value; a `for` loop stands for its body. */
export function toValue(node: Parser.SyntaxNode): BicepValue {
  const line = node.startPosition.row + 1;
  switch (node.type) {
    case "object": {
      const properties = new Map<string, BicepValue>();
      for (const property of node.namedChildren) {
        if (property.type !== "object_property") continue;
        const [key, value] = property.namedChildren;
        if (!key || !value) continue;
        properties.set(key.type === "string" ? stringValue(key) : key.text, toValue(value));
      }
      return { kind: "object", properties, line };
    }
    case "array":
      return { kind: "array", items: node.namedChildren.filter(isValueNode).map(toValue), line };
    case "for_statement": {
      const body = node.childForFieldName("body");
      return body ? toValue(body) : { kind: "expression", text: node.text, line };
    }
    case "string":
      return node.namedChildren.some((child) => child.type === "interpolation")
        ? { kind: "expression", text: node.text, line }
        : { kind: "literal", value: stringValue(node), line };
    case "boolean":
      return { kind: "literal", value: node.text === "true", line };
    case "number":
      return { kind: "literal", value: Number(node.text), line };
    case "null":
      return { kind: "literal", value: null, line };
    default:
      return { kind: "expression", text: node.text, line };
  }
}

function isValueNode(node: Parser.SyntaxNode): boolean {
  return node.type !== "comment" && node.type !== "diagnostic_comment";
}

function stringValue(node: Parser.SyntaxNode | undefined): string {
  if (!node) return "";
  if (node.type !== "string") return node.text;
  return node.namedChildren
    .map((child) => (child.type === "escape_sequence" ? unescapeBicep(child.text) : child.text))
    .join("");
}

function unescapeBicep(sequence: string): string {
  const escapes: Record<string, string> = { "\\'": "'", "\\\\": "\\", "\\n": "\n", "\\r": "\r", "\\t": "\t" };
  return escapes[sequence] ?? sequence;
}

function collectSyntaxErrors(root: Parser.SyntaxNode): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Parser.SyntaxNode): void => {
    if (!node.hasError && !node.isMissing) return;
    const line = node.startPosition.row + 1;
    const column = node.startPosition.column + 1;
    if (node.isMissing) {
      problems.push({ line, column, message: `missing ${node.type}` });
      return;
    }
    if (node.type === "ERROR") {
      problems.push({ line, column, message: `unexpected '${node.text.split("\n")[0]?.slice(0, 60)}'` });
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(root);
  return problems;
}

function collectMemberChains(root: Parser.SyntaxNode): { path: string[]; line: number }[] {
  const chains: { path: string[]; line: number }[] = [];
  const visit = (node: Parser.SyntaxNode): void => {
    if (node.type === "member_expression" && node.parent?.type !== "member_expression") {
      const path = memberPath(node);
      if (path) chains.push({ path, line: node.startPosition.row + 1 });
    }
    for (const child of node.namedChildren) visit(child);
  };
  visit(root);
  return chains;
}

function memberPath(node: Parser.SyntaxNode): string[] | undefined {
  if (node.type === "identifier") return [node.text];
  if (node.type !== "member_expression") return undefined;
  const object = node.childForFieldName("object");
  const property = node.childForFieldName("property");
  const head = object ? memberPath(object) : undefined;
  return head && property ? [...head, property.text] : undefined;
}

/** The value at a dotted path inside an object value (`properties.allowSharedKeyAccess`). */
export function valueAt(value: BicepValue | undefined, path: string): BicepValue | undefined {
  let current = value;
  for (const key of path.split(".")) {
    if (current?.kind !== "object") return undefined;
    current = current.properties.get(key);
  }
  return current;
}

export function literalAt(value: BicepValue | undefined, path: string): unknown {
  const found = valueAt(value, path);
  return found?.kind === "literal" ? found.value : found?.kind === "expression" ? found.text : undefined;
}
