import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { FlowValidationError } from "../errors.js";
import type {
  FlowDefinition,
  FlowInputDefinition,
  FlowOutputDefinition,
  FlowValueType,
  NodeDefinition,
} from "../flow-definition.js";
import { readFlowSample } from "../read-flow-sample.js";
import { resolveFlowFile } from "../resolve-flow-file.js";
import { FLOW_VALUE_TYPES } from "../validate-inputs-outputs.js";
import { type FlexFlowYaml, flexFlowSchema } from "./flex-schema.js";
import { parsePythonRecordFields, parsePythonSignature } from "./parse-python-signature.js";
import { parseTypescriptInputs } from "./parse-typescript-signature.js";

const TS_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs)$/i;

/** What a flex flow's entry is, kept in `definition.extra.flex`. */
export interface FlexEntryInfo {
  entry: string;
  language: "python" | "typescript";
  /** Absolute path of the entry's file. */
  file: string;
  function: string;
  isClass: boolean;
  /** Init parameters (class entries) with their declared or literal defaults. */
  init: Record<string, { type: FlowValueType; default?: unknown; required: boolean }>;
  /** `sample.init`: the init arguments used when none are given (promptflow's `flow test`/serve). */
  sampleInit?: Record<string, unknown>;
}

/**
 * Reads a `flow.flex.yaml` as a flow of one node that calls the entry: `entry: module:function`
 * (python, `a.b:f` is `a/b.py`, run by the python worker) or `entry: file.ts:function` (TypeScript,
 * a named export). A class entry is built once with the init arguments (ExecutorOptions.init, falling
 * back to the declared defaults) and called per line. Inputs come from the YAML, else from the entry's
 * signature; outputs from the YAML, else from a returned dataclass/TypedDict, else one `output`.
 */
export async function readFlexFlow(file: string): Promise<FlowDefinition> {
  const text = await readFile(file, "utf8");
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new FlowValidationError(
      document.errors.map((error) => ({
        code: "YamlSyntax",
        message: `invalid YAML: ${error.message.split("\n")[0]}`,
        file,
        ...(error.linePos?.[0] ? { line: error.linePos[0].line, column: error.linePos[0].col } : {}),
      })),
    );
  }
  const raw = (document.toJS() ?? {}) as Record<string, unknown>;
  rejectOtherLanguages(raw, file);
  const parsed = flexFlowSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FlowValidationError(
      parsed.error.issues.map((issue) => ({
        code: "FlexFlowSchema",
        message: `${issue.message}.`,
        file,
        field: issue.path.join(".") || "entry",
      })),
    );
  }
  const flex = parsed.data;
  const directory = path.dirname(file);
  const info = await resolveEntry(flex.entry, directory, file, flex.additional_includes ?? []);
  const source = await readFile(info.file, "utf8");
  const signature = signatureOf(info, source, flex);
  const nodeName = info.function.replace(/[^A-Za-z0-9_]/g, "_");
  const inputs = signature.inputs;
  // promptflow's `sample` gives the values `flow test` and serve use: defaults for inputs that have
  // none, and (`sample.init`) the class entry's init arguments when none are given.
  const sample = await readFlowSample(flex.sample, directory, file);
  for (const [name, value] of Object.entries(sample.inputs)) if (inputs[name]) inputs[name].default = value;
  const node: NodeDefinition = {
    name: nodeName,
    type: info.language,
    source: { type: "code", path: path.relative(directory, info.file), function: info.function },
    inputs: Object.fromEntries(Object.keys(inputs).map((name) => [name, `\${inputs.${name}}`])),
    position: { line: 1, column: 1 },
  };
  const outputs = outputsOf(flex, info, source, nodeName);
  info.init = initOf(flex, info, source);
  if (Object.keys(sample.init).length > 0) info.sampleInit = sample.init;
  return {
    directory,
    file,
    inputs,
    outputs,
    nodes: [node, ...aggregateNode(info, source, nodeName, directory)],
    node_variants: {},
    ...(flex.environment ? { environment: withoutNullish(flex.environment) } : {}),
    additional_includes: flex.additional_includes ?? [],
    extra: {
      flex: info,
      ...(flex.sample !== undefined ? { sample: flex.sample } : {}),
      ...(raw["environment_variables"] ? { environment_variables: raw["environment_variables"] } : {}),
    },
  };
}

/** promptflow's C# flex flows (`language: csharp`) need its .NET executor: say so, and what to do instead. */
function rejectOtherLanguages(flex: Record<string, unknown>, file: string): void {
  const language = typeof flex["language"] === "string" ? flex["language"].toLowerCase() : "python";
  if (language === "python" || language === "typescript" || language === "javascript") return;
  throw new FlowValidationError([
    {
      code: "FlexLanguageNotSupported",
      message: `'language: ${String(flex["language"])}' flex flows are not supported: flowops runs python entries (module:function) in its python worker and TypeScript entries (file.ts:function) in-process, but has no ${String(flex["language"])} executor. Port the entry to a python or TypeScript function, or call the service it wraps from one.`,
      file,
      field: "language",
    },
  ]);
}

/**
 * promptflow's `__aggregate__(self, line_results)` on a class entry: an aggregation node that gets the
 * list of every line's output after a batch run; the numbers in the dict it returns become metrics.
 */
function aggregateNode(
  info: FlexEntryInfo,
  source: string,
  entryNode: string,
  directory: string,
): NodeDefinition[] {
  if (info.language !== "python" || !info.isClass) return [];
  const aggregate = parsePythonSignature(source, "__aggregate__", info.function);
  if (!aggregate) return [];
  const param = aggregate.params[0]?.name ?? "line_results";
  return [
    {
      name: "__aggregate__",
      type: "python",
      source: {
        type: "code",
        path: path.relative(directory, info.file),
        function: `${info.function}.__aggregate__`,
      },
      inputs: { [param]: `\${${entryNode}.output}` },
      aggregation: true,
      position: { line: 1, column: 1 },
    },
  ];
}

/** The flex entry information of a definition read from a flow.flex.yaml, if it is one. */
export function flexEntryOf(definition: Pick<FlowDefinition, "extra">): FlexEntryInfo | undefined {
  return definition.extra.flex as FlexEntryInfo | undefined;
}

async function resolveEntry(
  entry: string,
  directory: string,
  file: string,
  includes: string[],
): Promise<FlexEntryInfo> {
  const at = entry.lastIndexOf(":");
  const module = entry.slice(0, at).trim();
  const fn = entry.slice(at + 1).trim();
  const typescript = TS_EXTENSIONS.test(module);
  const relative = typescript || module.endsWith(".py") ? module : `${module.replace(/\./g, "/")}.py`;
  // The entry's module may come from `additional_includes`, as if copied into the flow folder.
  const target =
    resolveFlowFile({ directory, additional_includes: includes }, relative) ??
    path.resolve(directory, relative);
  let source: string;
  try {
    source = await readFile(target, "utf8");
  } catch {
    throw new FlowValidationError([
      {
        code: "FlexEntryNotFound",
        message: `the entry '${entry}' points at '${relative}', which does not exist in ${directory}: fix 'entry' (python: module:function, TypeScript: file.ts:function).`,
        file,
        field: "entry",
      },
    ]);
  }
  const isClass = new RegExp(`^\\s*(export\\s+(default\\s+)?)?class\\s+${fn}\\b`, "m").test(source);
  const defined =
    isClass ||
    new RegExp(
      typescript
        ? `\\b(function\\s*\\*?\\s*${fn}\\b|${fn}\\s*=|export\\s*\\{[^}]*\\b${fn}\\b)`
        : `def\\s+${fn}\\s*\\(`,
    ).test(source);
  if (!defined) {
    throw new FlowValidationError([
      {
        code: "FlexEntryNotFound",
        message: `the entry '${entry}': '${relative}' defines no ${typescript ? "exported function or class" : "function or class"} '${fn}'. Fix 'entry'.`,
        file,
        field: "entry",
      },
    ]);
  }
  return {
    entry,
    language: typescript ? "typescript" : "python",
    file: target,
    function: fn,
    isClass,
    init: {},
  };
}

function signatureOf(
  info: FlexEntryInfo,
  source: string,
  flex: FlexFlowYaml,
): { inputs: Record<string, FlowInputDefinition> } {
  // promptflow merges the YAML's `inputs` over the code's signature: a YAML entry wins for its name,
  // parameters the YAML leaves out keep the code's type and default.
  const inputs: Record<string, FlowInputDefinition> = {};
  if (info.language === "python") {
    const parsed = info.isClass
      ? parsePythonSignature(source, "__call__", info.function)
      : parsePythonSignature(source, info.function);
    for (const p of parsed?.params ?? []) {
      inputs[p.name] = {
        type: p.type,
        ...(p.hasDefault ? { default: p.default ?? null } : {}),
        // `param=None` (or a default that is not a literal): the entry applies it when left out.
        ...(p.hasDefault && (p.default === null || p.default === undefined) ? { optional: true } : {}),
      };
    }
  } else {
    for (const p of parseTypescriptInputs(source, info.function) ?? []) {
      inputs[p.name] = { type: "string", ...("default" in p ? { default: p.default } : {}) };
      if (typeof p.default !== "string" && "default" in p) inputs[p.name]!.type = "object";
    }
  }
  if (flex.inputs) Object.assign(inputs, mapPorts(flex.inputs));
  return { inputs };
}

function outputsOf(
  flex: FlexFlowYaml,
  info: FlexEntryInfo,
  source: string,
  node: string,
): Record<string, FlowOutputDefinition> {
  let names: string[] | undefined;
  if (flex.outputs) names = Object.keys(flex.outputs);
  else if (info.language === "python") {
    const parsed = info.isClass
      ? parsePythonSignature(source, "__call__", info.function)
      : parsePythonSignature(source, info.function);
    const returns = parsed?.returns?.replace(/^["']|["']$/g, "");
    if (returns && /^[A-Z]\w*$/.test(returns)) names = parsePythonRecordFields(source, returns);
  }
  if (!names) return { output: { reference: `\${${node}.output}` } };
  return Object.fromEntries(
    names.map((name) => {
      const declared = flex.outputs?.[name];
      const type = declared?.type && isFlowType(declared.type) ? { type: declared.type } : {};
      return [name, { ...type, reference: `\${${node}.output.${name}}` }];
    }),
  );
}

function initOf(flex: FlexFlowYaml, info: FlexEntryInfo, source: string): FlexEntryInfo["init"] {
  const init: FlexEntryInfo["init"] = {};
  // As for inputs, the YAML's `init` is merged over the code's `__init__` signature.
  const code = info.language === "python" && info.isClass;
  for (const p of (code && parsePythonSignature(source, "__init__", info.function)?.params) || []) {
    init[p.name] = {
      type: p.type,
      ...(p.hasDefault && p.default !== undefined ? { default: p.default } : {}),
      required: !p.hasDefault,
    };
  }
  for (const [name, port] of Object.entries(flex.init ?? {})) {
    const fromCode = init[name];
    const type = port.type && isFlowType(port.type) ? port.type : (fromCode?.type ?? "object");
    const fallback = fromCode && "default" in fromCode ? { default: fromCode.default } : {};
    // As for inputs, a YAML default of "" passes nothing: the code's own default applies.
    const declared = port.default !== undefined && port.default !== "";
    init[name] = {
      type,
      ...(declared ? { default: port.default } : fallback),
      required: port.default === undefined && (fromCode?.required ?? true),
    };
  }
  return init;
}

function mapPorts(ports: NonNullable<FlexFlowYaml["inputs"]>): Record<string, FlowInputDefinition> {
  return Object.fromEntries(
    Object.entries(ports).map(([name, port]) => {
      const input: FlowInputDefinition = { type: port.type && isFlowType(port.type) ? port.type : "string" };
      // promptflow passes nothing for a flex input whose YAML default is "": the code's default applies.
      if (port.default === "") Object.assign(input, { default: null, optional: true });
      else if (port.default !== undefined) input.default = port.default;
      if (port.description) input.description = port.description;
      if (port.is_chat_input) input.is_chat_input = true;
      if (port.is_chat_history) input.is_chat_history = true;
      return [name, input];
    }),
  );
}

function isFlowType(type: string): type is FlowValueType {
  return (FLOW_VALUE_TYPES as readonly string[]).includes(type);
}

function withoutNullish<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
