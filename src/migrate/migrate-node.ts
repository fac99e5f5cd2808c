import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { parsePythonSignature } from "../core/flex/index.js";
import { readFlowDefinition } from "../core/read-flow-definition.js";
import { resolveFlowFile } from "../core/resolve-flow-file.js";
import { inspectPython } from "./inspect-python.js";
import { translatePythonBody } from "./python-to-typescript.js";

export interface MigrateNodeOptions {
  /** The flow folder (or its flow.dag.yaml). */
  flow: string;
  node: string;
  /** Where to write; default `<flow folder>/<python file name>.ts`. */
  output?: string;
  /** Overwrite an existing file. */
  force?: boolean;
  /** Only return the code. */
  dryRun?: boolean;
}

const TS_TYPES: Record<string, string> = {
  str: "string",
  int: "number",
  float: "number",
  bool: "boolean",
  list: "unknown[]",
  List: "unknown[]",
  dict: "Record<string, unknown>",
  Dict: "Record<string, unknown>",
};

/**
 * `flowops migrate node`: writes a TypeScript version of a simple python node, as a typescript node
 * module (default export called with the node's inputs and the NodeContext). The flow is not changed:
 * the python stays until the user switches the node (`type: typescript`, `source.path: FILE.ts`).
 */
export async function migrateNode(options: MigrateNodeOptions): Promise<{ file: string; code: string }> {
  const definition = await readFlowDefinition(options.flow);
  const node = definition.nodes.find((n) => n.name === options.node);
  if (!node) {
    const names = definition.nodes.map((n) => n.name).join(", ");
    throw new UserError("NodeNotFound", `The flow has no node '${options.node}' (it has: ${names}).`, {
      field: "node",
    });
  }
  const sourcePath = node.source.path;
  const pythonFile =
    node.type === "python" && sourcePath ? resolveFlowFile(definition, sourcePath) : undefined;
  if (!pythonFile || !sourcePath) {
    throw new UserError(
      "NotAPythonNode",
      `Node '${node.name}' is not a python code node (type '${node.type}'): only python nodes can be converted.`,
      { node: node.name },
    );
  }
  const source = await readFile(pythonFile, "utf8");
  const facts = inspectPython(source);
  const functionName = facts.tools[0] ?? /^def\s+(\w+)/m.exec(source)?.[1];
  if (!functionName) {
    throw new UserError("ToolNotFound", `${sourcePath} defines no @tool function to convert.`, {
      node: node.name,
    });
  }
  const code = typescriptModule(source, functionName, node.name, sourcePath);
  const file = options.output ?? path.join(definition.directory, sourcePath.replace(/\.py$/, ".ts"));
  if (!options.dryRun) {
    if (existsSync(file) && !options.force) {
      throw new UserError(
        "FileExists",
        `${file} already exists: pass --force to overwrite it, or --output to write elsewhere.`,
        { field: "output" },
      );
    }
    await writeFile(file, code);
  }
  return { file, code };
}

function typescriptModule(source: string, fn: string, node: string, sourcePath: string): string {
  const signature = parsePythonSignature(source, fn);
  const params = signature?.params ?? [];
  const body = functionBody(source, fn);
  const declared = new Set(params.map((p) => p.name));
  const translated = translatePythonBody(body, declared);
  const usesContext = translated.some((line) => line.includes("context."));
  const fields = params.map((p) => `${p.name}${p.hasDefault ? "?" : ""}: ${tsType(p.annotation)}`).join("; ");
  const names = params
    .map((p) =>
      p.hasDefault && p.default !== undefined ? `${p.name} = ${JSON.stringify(p.default)}` : p.name,
    )
    .join(", ");
  const returns = signature?.returns ? `: ${tsType(signature.returns)}` : "";
  const typescriptFile = sourcePath.replace(/\.py$/, ".ts");
  return [
    "/**",
    ` * TypeScript version of the python node '${node}' (${sourcePath}), written by \`flowops migrate node\`.`,
    " * A starting point: review the translation and test it, then switch the node in flow.dag.yaml to",
    ` * \`type: typescript\` with \`source: {type: code, path: ${typescriptFile}}\`. The python stays until you do.`,
    " */",
    'import type { NodeContext } from "flowops";',
    "",
    `export default function ${fn}(`,
    `  { ${names} }: { ${fields} },`,
    `  ${usesContext ? "context" : "_context"}: NodeContext,`,
    `)${returns} {`,
    ...translated,
    "}",
    "",
    "/* The original python:",
    ...source
      .trimEnd()
      .split("\n")
      .map((line) => ` * ${line}`.trimEnd()),
    " */",
    "",
  ].join("\n");
}

function functionBody(source: string, fn: string): string[] {
  const lines = source.split("\n");
  const start = lines.findIndex((line) => new RegExp(`^\\s*(async\\s+)?def\\s+${fn}\\s*\\(`).test(line));
  if (start < 0) return [];
  const defIndent = lines[start]!.length - lines[start]!.trimStart().length;
  let i = start;
  while (i < lines.length && !/\)\s*(->\s*[^:]+)?:\s*(#.*)?$/.test(lines[i]!)) i++;
  const body: string[] = [];
  let inDocstring = false;
  for (let j = i + 1; j < lines.length; j++) {
    const line = lines[j]!;
    if (line.trim() && line.length - line.trimStart().length <= defIndent) break;
    const trimmed = line.trim();
    if (body.length === 0 && !inDocstring && /^("""|''')/.test(trimmed)) {
      inDocstring = !/^("""|''').*\1$/.test(trimmed) || trimmed.length === 3;
      continue;
    }
    if (inDocstring) {
      if (/("""|''')$/.test(trimmed)) inDocstring = false;
      continue;
    }
    body.push(line);
  }
  return body;
}

function tsType(annotation: string | undefined): string {
  if (!annotation) return "unknown";
  const base = annotation
    .replace(/^Optional\[(.*)\]$/, "$1")
    .split("[")[0]!
    .trim();
  return TS_TYPES[base] ?? "unknown";
}
