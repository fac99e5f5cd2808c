import path from "node:path";
import {
  LLM_APIS,
  LLM_CONNECTION_TYPES,
  LLM_MODULES,
  LLM_PROVIDERS,
  SUPPORTED_NODE_TYPES,
  TYPESCRIPT_EXTENSIONS,
} from "./llm-settings.js";
import { KNOWN_PACKAGE_TOOLS, packageToolKind } from "./package-tools/known-package-tools.js";
import { resolveFlowFile } from "./resolve-flow-file.js";
import { didYouMean, listNames } from "./suggest-name.js";
import type { NodeBody, ValidationContext } from "./validation-context.js";

const SOURCE_TYPES = ["code", "package", "package_with_prompt"];

/**
 * Checks each node body (each variant of a `use_variants` node counts as one) on its own: a known node
 * type, a source the engine can run and whose file exists, the fields an `llm` node needs with known
 * values, and, when a connection catalog is given, connections that exist and fit the node.
 */
export function validateNodeBodies(context: ValidationContext): void {
  for (const body of context.bodies) {
    if (body.node.use_variants && body.label === "") continue; // reported by validateNodeNames
    if (!checkType(context, body)) continue;
    if (!checkSource(context, body)) continue;
    // A .prompty source carries its own model settings (connection, api, model) in its front matter.
    if (body.node.type === "llm" && !/\.prompty$/i.test(body.node.source.path ?? "")) checkLlm(context, body);
    checkConnection(context, body);
  }
}

function problem(
  context: ValidationContext,
  body: NodeBody,
  field: string,
  code: string,
  message: string,
): void {
  const fieldPath = field.split(".");
  context.report(
    { code, node: body.name, field, message: `${body.label}${message}` },
    [...body.at, ...fieldPath],
    body,
  );
}

function checkType(context: ValidationContext, body: NodeBody): boolean {
  const type = String(body.node.type ?? "");
  if ((SUPPORTED_NODE_TYPES as readonly string[]).includes(type)) return true;
  if (type === "csharp") {
    // promptflow's C# DAG flows (`language: csharp`) run on its .NET executor.
    problem(
      context,
      body,
      "type",
      "NodeLanguageNotSupported",
      `has type 'csharp': C# tools run on promptflow's .NET executor, which flowops does not have. Port the tool to a python node ('source: {type: code, path: FILE.py}') or a typescript node, or call the service it wraps from one.`,
    );
  } else if (type === "") {
    problem(
      context,
      body,
      "type",
      "NodeTypeMissing",
      `has no type: add 'type:' with one of ${SUPPORTED_NODE_TYPES.join(", ")}.`,
    );
  } else if (body.node.source.type !== "code") {
    checkSource(context, body);
  } else {
    problem(
      context,
      body,
      "type",
      "UnknownNodeType",
      `has ${type === "custom_llm" ? "type 'custom_llm', which runs promptflow package tools that flowops does not provide" : `unknown type '${type}'`}.${didYouMean(type, SUPPORTED_NODE_TYPES)} flowops runs these node types: ${SUPPORTED_NODE_TYPES.join(", ")}.`,
    );
  }
  return false;
}

/** Returns whether the source is a code file that exists (so type-specific checks make sense). */
function checkSource(context: ValidationContext, body: NodeBody): boolean {
  const { source, type } = body.node;
  const sourceType = String(source.type);
  if (!SOURCE_TYPES.includes(sourceType)) {
    problem(
      context,
      body,
      "source.type",
      "UnknownSourceType",
      `has source type '${sourceType}'.${didYouMean(sourceType, SOURCE_TYPES)} Use 'source: {type: code, path: FILE}'.`,
    );
    return false;
  }
  if (sourceType !== "code") {
    const tool = source.tool ?? "(no tool named)";
    if (packageToolKind(tool)) {
      // Provided natively (src/core/package-tools); a prompt file, when the tool takes one, must exist.
      if (
        sourceType === "package_with_prompt" &&
        source.path &&
        !resolveFlowFile(context.definition, source.path)
      )
        problem(
          context,
          body,
          "source.path",
          "SourceFileNotFound",
          `prompt file '${source.path}' does not exist in the flow folder ${context.definition.directory}: create it or fix the path.`,
        );
      return false;
    }
    if (context.options.pythonPackageTools && source.tool) return false;
    const embedding = tool.startsWith("promptflow.tools.embedding")
      ? " For embeddings, use an llm node with 'api: embedding'."
      : "";
    problem(
      context,
      body,
      "source.tool",
      "PackageToolNotSupported",
      `uses the package tool '${tool}' from package '${toolPackage(tool)}', which flowops does not provide: flowops runs llm, prompt, typescript and python code nodes ('source: {type: code, path: FILE}') and the package tools ${KNOWN_PACKAGE_TOOLS.map((t) => t.split(".").slice(2).join(".")).join(", ")}. Rewrite this step as a typescript or python node.${embedding}`,
    );
    return false;
  }
  if (!source.path) {
    problem(
      context,
      body,
      "source",
      "SourcePathMissing",
      `has no source file: add 'source: {type: code, path: FILE}' with the ${expectedFile(type)} to run.`,
    );
    return false;
  }
  if (!resolveFlowFile(context.definition, source.path)) {
    problem(
      context,
      body,
      "source.path",
      "SourceFileNotFound",
      `source file '${source.path}' does not exist in the flow folder ${context.definition.directory} (nor in additional_includes): create it or fix the path.`,
    );
    return false;
  }
  const extension = path.extname(source.path).toLowerCase();
  if (type === "python" && extension !== ".py") {
    problem(
      context,
      body,
      "source.path",
      "SourceFileType",
      `is a python node but its source '${source.path}' is not a .py file: point it at the Python file, or change the node type.`,
    );
  }
  if (type === "typescript" && !(TYPESCRIPT_EXTENSIONS as readonly string[]).includes(extension)) {
    problem(
      context,
      body,
      "source.path",
      "SourceFileType",
      `is a typescript node but its source '${source.path}' is not a TypeScript or JavaScript file (${TYPESCRIPT_EXTENSIONS.join(", ")}): point it at the module whose default export runs the node.`,
    );
  }
  return true;
}

function checkLlm(context: ValidationContext, body: NodeBody): void {
  const { api, provider, module, connection, inputs } = body.node;
  if (!connection) {
    problem(
      context,
      body,
      "connection",
      "ConnectionMissing",
      "is an llm node without a connection: add 'connection: NAME' naming the connection that reaches the model (see 'flowops connection list').",
    );
  }
  if (!api) {
    problem(
      context,
      body,
      "api",
      "ApiMissing",
      `is an llm node without an api: add 'api:' with one of ${LLM_APIS.join(", ")}.`,
    );
  } else if (!(LLM_APIS as readonly string[]).includes(api)) {
    problem(
      context,
      body,
      "api",
      "UnknownApi",
      `has unknown api '${api}'.${didYouMean(api, LLM_APIS)} Use one of: ${LLM_APIS.join(", ")}.`,
    );
  }
  if (provider && !(LLM_PROVIDERS as readonly string[]).includes(provider)) {
    problem(
      context,
      body,
      "provider",
      "UnknownProvider",
      `has unknown provider '${provider}'.${didYouMean(provider, LLM_PROVIDERS)} Use one of: ${LLM_PROVIDERS.join(", ")}, or leave 'provider' out to take it from the connection's type.`,
    );
  }
  if (module && !(LLM_MODULES as readonly string[]).includes(module)) {
    problem(
      context,
      body,
      "module",
      "UnknownModule",
      `has unknown module '${module}'.${didYouMean(module, LLM_MODULES)} Use one of: ${LLM_MODULES.join(", ")}, or leave 'module' out.`,
    );
  }
  if (!("deployment_name" in inputs) && !("model" in inputs)) {
    problem(
      context,
      body,
      "inputs",
      "ModelMissing",
      "is an llm node that names no model: add the input 'deployment_name' (Azure OpenAI deployment) or 'model' (other vendors).",
    );
  }
}

function checkConnection(context: ValidationContext, body: NodeBody): void {
  const catalog = context.options.connections;
  const name = body.node.connection;
  if (!catalog || !name || body.node.inline_connection) return;
  const connection = catalog.get(name);
  if (!connection) {
    problem(
      context,
      body,
      "connection",
      "ConnectionNotFound",
      `uses connection '${name}', which does not exist: create it with 'flowops connection create --file CONNECTION.yaml' (or set FLOWOPS_CONNECTION_${name.toUpperCase()}), or fix the name; to run without a model, set FLOWOPS_LLM_MODE=replay (recorded answers from <flow>/.recordings) or FLOWOPS_LLM_MODE=mock (labelled placeholder answers).`,
    );
    return;
  }
  if (body.node.type === "llm" && !(LLM_CONNECTION_TYPES as readonly string[]).includes(connection.type)) {
    problem(
      context,
      body,
      "connection",
      "ConnectionTypeMismatch",
      `is an llm node but connection '${name}' has type '${connection.type}', which cannot reach a model: use a connection of type ${listNames(LLM_CONNECTION_TYPES)}.`,
    );
  }
}

function expectedFile(type: string): string {
  if (type === "llm" || type === "prompt") return "Jinja2 prompt template";
  if (type === "prompty") return ".prompty file";
  if (type === "python") return "Python file";
  return "TypeScript module";
}

/** `promptflow.tools.serpapi.SerpAPI.search` → `promptflow.tools.serpapi` (the module before the class). */
function toolPackage(tool: string): string {
  const parts = tool.split(".");
  const classAt = parts.findIndex((part, i) => i > 0 && /^[A-Z]/.test(part));
  return parts.slice(0, classAt > 0 ? classAt : Math.max(1, parts.length - 1)).join(".");
}
