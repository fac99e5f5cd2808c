import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { type Diagnostic, FlowValidationError } from "../errors.js";
import type {
  FlowDefinition,
  FlowInputDefinition,
  FlowValueType,
  NodeDefinition,
} from "../flow-definition.js";
import { readFlowSample } from "../read-flow-sample.js";
import { type PromptyFrontMatter, promptySchema } from "./prompty-schema.js";
import { resolveFileReferences } from "./resolve-file-references.js";
import { splitPrompty } from "./split-prompty.js";

/** promptflow's default connection names, used when a prompty's configuration names none. */
export const DEFAULT_PROMPTY_CONNECTIONS = {
  azure_openai: "azure_open_ai_connection",
  openai: "open_ai_connection",
} as const;

const TYPE_NAMES: Record<string, FlowValueType> = {
  string: "string",
  str: "string",
  int: "int",
  integer: "int",
  double: "double",
  float: "double",
  number: "double",
  bool: "bool",
  boolean: "bool",
  list: "list",
  array: "list",
  chat_history: "list",
  object: "object",
  dict: "object",
  image: "image",
};

/**
 * Reads a `.prompty` file as a flow of one `llm` node: the front matter's `model.configuration` gives
 * the connection (its `connection`, else promptflow's default name for the type), the provider and the
 * deployment/model; `model.parameters` become the node's model inputs; `inputs` (defaults filled from
 * `sample`) become flow inputs passed to the template; the one output `output` is the model's answer.
 * The node's `source.path` is the .prompty file itself: the prompt loader reads the body after the
 * front matter. The front matter is kept in `extra.prompty` (without secrets).
 */
export async function readPromptyFlow(
  file: string,
  overrides: { model?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {},
): Promise<FlowDefinition> {
  const env = overrides.env ?? process.env;
  const prompty = withModelOverride(await readPromptyFrontMatter(file), overrides.model);
  const directory = path.dirname(file);
  const { inputs: sample } = await readFlowSample(prompty.sample, directory, file, { structured: false });
  const inputs = promptyInputs(prompty, resolveEnvValues(sample, env));
  for (const input of Object.values(inputs)) input.default = resolveEnvValues(input.default, env);
  const node = promptyNode(prompty, file, Object.keys(inputs), env);
  return {
    directory,
    file,
    inputs,
    outputs: promptyOutputs(prompty, node.name),
    nodes: [node],
    node_variants: {},
    additional_includes: [],
    extra: {
      prompty: publicFrontMatter(prompty),
      // A JSON answer with no declared outputs: its keys are the outputs (promptflow's dict outputs).
      ...(promptyAnswersJson(prompty) && !prompty.outputs ? { dict_outputs: true } : {}),
    },
  };
}

/**
 * promptflow's `Prompty.load(source, model={...})`: the given `configuration` replaces the file's when
 * it names another type or connection, else updates it; `parameters` update the file's; `api` and
 * `response` replace them.
 */
export function withModelOverride(
  prompty: PromptyFrontMatter,
  model: Record<string, unknown> | undefined,
): PromptyFrontMatter {
  if (!model) return prompty;
  const base = prompty.model ?? {};
  const given = (model["configuration"] ?? undefined) as Record<string, unknown> | undefined;
  const current = (base.configuration ?? {}) as Record<string, unknown>;
  const replaces =
    given !== undefined &&
    ((given["type"] !== undefined && given["type"] !== current["type"]) || given["connection"] !== undefined);
  const configuration = given ? (replaces ? given : { ...current, ...given }) : current;
  const parameters = {
    ...(base.parameters ?? {}),
    ...((model["parameters"] as Record<string, unknown> | undefined) ?? {}),
  };
  const merged = {
    ...base,
    ...(model["api"] !== undefined ? { api: model["api"] } : {}),
    ...(model["response"] !== undefined ? { response: model["response"] } : {}),
    configuration,
    parameters,
  };
  const parsed = promptySchema.safeParse({ ...prompty, model: merged });
  if (!parsed.success) {
    throw new FlowValidationError(
      parsed.error.issues.map((issue) => ({
        code: "PromptySchema",
        message: `Prompty.load(model=...): ${issue.message}.`,
        field: `model.${issue.path.slice(1).join(".")}`,
      })),
    );
  }
  return parsed.data;
}

/** Reads and checks a `.prompty` file's front matter (FlowValidationError naming the file). */
export async function readPromptyFrontMatter(file: string): Promise<PromptyFrontMatter> {
  const text = await readFile(file, "utf8");
  const { frontMatter } = splitPrompty(text, file);
  const document = parseDocument(frontMatter, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new FlowValidationError(
      document.errors.map((error) => ({
        code: "YamlSyntax",
        message: `invalid YAML in the prompty front matter: ${error.message.split("\n")[0]}`,
        file,
        ...(error.linePos?.[0] ? { line: error.linePos[0].line + 1, column: error.linePos[0].col } : {}),
      })),
    );
  }
  const parsed = promptySchema.safeParse(await resolveFileReferences(document.toJS() ?? {}, file));
  if (!parsed.success) {
    throw new FlowValidationError(
      parsed.error.issues.map(
        (issue): Diagnostic => ({
          code: "PromptySchema",
          message: `${issue.message}.`,
          file,
          field: issue.path.join("."),
        }),
      ),
    );
  }
  return parsed.data;
}

/**
 * The llm node settings a prompty's `model` section gives: api, connection, provider, model inputs.
 * A configuration with an endpoint or key and no `connection` is an inline connection (its
 * `${env:VAR}` values resolved when the model is called); `${env:VAR}` in the deployment or model
 * name is resolved from `env` here.
 */
export function promptyModelSettings(
  prompty: PromptyFrontMatter,
  env: NodeJS.ProcessEnv = process.env,
): {
  api: "chat" | "completion";
  connection: string;
  provider: "OpenAI" | "AzureOpenAI";
  inputs: Record<string, unknown>;
  inline?: Record<string, unknown>;
} {
  const model = prompty.model ?? {};
  const configuration = (model.configuration ?? {}) as Record<string, unknown> & { type?: string };
  const openai = (configuration.type ?? "azure_openai") === "openai";
  const deployment = resolveEnvValues(
    openai ? configuration["model"] : (configuration["azure_deployment"] ?? configuration["model"]),
    env,
  );
  const inputs: Record<string, unknown> = {};
  if (deployment !== undefined) inputs[openai ? "model" : "deployment_name"] = deployment;
  for (const [name, value] of Object.entries(model.parameters ?? {})) inputs[name] = value;
  const named = configuration["connection"] as string | undefined;
  const inline = named ? undefined : inlineConnectionOf(configuration, openai);
  return {
    api: model.api ?? "chat",
    connection:
      named ??
      (inline ? "model.configuration" : DEFAULT_PROMPTY_CONNECTIONS[openai ? "openai" : "azure_openai"]),
    provider: openai ? "OpenAI" : "AzureOpenAI",
    inputs,
    ...(inline ? { inline } : {}),
  };
}

/** promptflow's inline model configuration as a connection: `azure_endpoint`/`base_url`, `api_key`... */
function inlineConnectionOf(
  configuration: Record<string, unknown>,
  openai: boolean,
): Record<string, unknown> | undefined {
  const pick = (...keys: string[]) =>
    Object.fromEntries(
      keys.filter((k) => configuration[k] != null).map((k) => [k, String(configuration[k])]),
    );
  if (openai) {
    if (configuration["api_key"] == null && configuration["base_url"] == null) return undefined;
    return { type: "open_ai", ...pick("api_key", "base_url", "organization") };
  }
  const endpoint = configuration["azure_endpoint"] ?? configuration["api_base"];
  if (endpoint == null) return undefined;
  return {
    type: "azure_open_ai",
    api_base: String(endpoint),
    ...pick("api_key", "api_version"),
    ...(configuration["api_key"] == null ? { auth_mode: "meid_token" } : {}),
  };
}

/** `${env:VAR}` strings (anywhere in a value) replaced by the variable, as promptflow's prompty does. */
export function resolveEnvValues<T>(value: T, env: NodeJS.ProcessEnv): T {
  if (typeof value === "string") {
    const match = /^\$\{env:([^}]+)\}$/.exec(value.trim());
    return (match ? (env[match[1]!.trim()] ?? "") : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveEnvValues(v, env)) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnvValues(v, env)])) as T;
  return value;
}

function promptyNode(
  prompty: PromptyFrontMatter,
  file: string,
  inputNames: string[],
  env: NodeJS.ProcessEnv,
): NodeDefinition {
  const settings = promptyModelSettings(prompty, env);
  const inputs: Record<string, unknown> = { ...settings.inputs };
  for (const name of inputNames) inputs[name] = `\${inputs.${name}}`;
  return {
    name: nodeName(file),
    type: "llm",
    source: { type: "code", path: path.basename(file) },
    inputs,
    connection: settings.connection,
    ...(settings.inline ? { inline_connection: settings.inline } : {}),
    api: settings.api,
    provider: settings.provider,
    position: { line: 1, column: 1 },
  };
}

/** Whether the prompty asks for JSON (`response_format: {type: json_object}`): its answer is then parsed. */
export function promptyAnswersJson(prompty: PromptyFrontMatter): boolean {
  const format = prompty.model?.parameters?.response_format as { type?: string } | string | undefined;
  return (typeof format === "string" ? format : format?.type) === "json_object";
}

/** One output per declared output when the answer is JSON (promptflow returns them as a dict), else `output`. */
function promptyOutputs(prompty: PromptyFrontMatter, node: string): FlowDefinition["outputs"] {
  if (!prompty.outputs || !promptyAnswersJson(prompty))
    return { output: { type: "string", reference: `\${${node}.output}` } };
  return Object.fromEntries(
    Object.entries(prompty.outputs).map(([name, spec]) => {
      const type = (spec as { type?: string } | null)?.type;
      return [
        name,
        {
          ...(type && TYPE_NAMES[type] ? { type: TYPE_NAMES[type] } : {}),
          reference: `\${${node}.output.${name}}`,
        },
      ];
    }),
  );
}

/** `basic.prompty` → `basic`, made a valid node name. */
function nodeName(file: string): string {
  const stem = path.basename(file, path.extname(file)).replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(stem) ? stem : `prompty_${stem}`;
}

function promptyInputs(
  prompty: PromptyFrontMatter,
  sample: Record<string, unknown>,
): Record<string, FlowInputDefinition> {
  const declared: Record<string, string | InputSpec> =
    prompty.inputs ?? Object.fromEntries(Object.keys(sample).map((k) => [k, {}]));
  const inputs: Record<string, FlowInputDefinition> = {};
  for (const [name, raw] of Object.entries(declared)) {
    const spec: InputSpec = typeof raw === "string" ? { type: raw } : raw;
    const typeName = spec.type ?? inferType(spec.default ?? sample[name]);
    const input: FlowInputDefinition = { type: TYPE_NAMES[typeName] ?? "object" };
    const fallback = spec.default ?? sample[name];
    if (fallback !== undefined) input.default = fallback;
    if (spec.description) input.description = spec.description;
    if (spec.is_chat_input) input.is_chat_input = true;
    if (spec.is_chat_history || typeName === "chat_history") input.is_chat_history = true;
    inputs[name] = input;
  }
  return inputs;
}

interface InputSpec {
  type?: string;
  default?: unknown;
  description?: string;
  is_chat_input?: boolean;
  is_chat_history?: boolean;
}

function inferType(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "double";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "list";
  if (value !== null && typeof value === "object") return "object";
  return "string";
}

const SECRET_FIELD = /key|secret|token|password/i;

function publicFrontMatter(prompty: PromptyFrontMatter): Record<string, unknown> {
  const configuration = Object.fromEntries(
    Object.entries(prompty.model?.configuration ?? {}).filter(([key]) => !SECRET_FIELD.test(key)),
  );
  return { ...prompty, model: { ...prompty.model, configuration } };
}
