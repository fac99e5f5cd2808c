import { UserError } from "../errors.js";
import type { ModelParameters } from "../model-port.js";

/**
 * Splits an llm node's inputs the way promptflow's llm tool signature does: the named model parameters
 * (`deployment_name`/`model`, `temperature`, `max_tokens`, `stop`, ...) go to the model; every other
 * input is a template variable. Empty values (`""`, null, `[]`, `{}`) mean "not set", as in flows
 * exported from the promptflow UI; numeric strings are converted.
 */

const FLOATS = ["temperature", "top_p", "presence_penalty", "frequency_penalty"] as const;
const INTS = ["max_tokens", "n", "seed"] as const;
/** Tool parameters promptflow's llm tool accepts that have no typed field in ModelParameters. */
const EXTRA = [
  "functions",
  "function_call",
  "suffix",
  "echo",
  "best_of",
  "logprobs",
  "top_logprobs",
  "detail",
];
const CONSUMED = new Set<string>([
  "deployment_name",
  "model",
  "stream",
  ...FLOATS,
  ...INTS,
  "stop",
  "response_format",
  "tools",
  "tool_choice",
  "logit_bias",
  "user",
  ...EXTRA,
]);

export interface LlmInputs {
  model: string | undefined;
  parameters: ModelParameters;
  variables: Record<string, unknown>;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function number(node: string, name: string, value: unknown, integer: boolean): number | undefined {
  if (value === "inf" || value === "Infinity") return undefined;
  const n = typeof value === "string" ? Number(value.trim()) : value;
  if (typeof n !== "number" || Number.isNaN(n) || (integer && !Number.isInteger(n))) {
    throw new UserError(
      "InvalidModelParameter",
      `Node '${node}' input '${name}' must be ${integer ? "a whole number" : "a number"}, not ${JSON.stringify(value)}.`,
      { node, field: name },
    );
  }
  return n;
}

function json(node: string, name: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return value;
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(
      "InvalidModelParameter",
      `Node '${node}' input '${name}' is not valid JSON: ${preview(text)}.`,
      {
        node,
        field: name,
      },
    );
  }
}

const preview = (t: string): string => (t.length > 60 ? `${t.slice(0, 60)}...` : t);

export function splitLlmInputs(node: string, inputs: Record<string, unknown>): LlmInputs {
  const parameters: ModelParameters = {};
  const variables: Record<string, unknown> = {};
  for (const name in inputs) if (!CONSUMED.has(name)) variables[name] = inputs[name];
  for (const name of FLOATS)
    if (!isEmpty(inputs[name])) parameters[name] = number(node, name, inputs[name], false);
  for (const name of INTS)
    if (!isEmpty(inputs[name])) parameters[name] = number(node, name, inputs[name], true);
  for (const key of Object.keys(parameters) as (keyof ModelParameters)[]) {
    if (parameters[key] === undefined) delete parameters[key];
  }
  const stop = inputs.stop;
  if (!isEmpty(stop)) {
    const parsed = json(node, "stop", stop);
    parameters.stop = Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
  }
  const format = inputs.response_format;
  if (!isEmpty(format)) {
    const parsed = json(node, "response_format", format);
    parameters.response_format = (
      typeof parsed === "string" ? { type: parsed } : parsed
    ) as ModelParameters["response_format"];
  }
  if (!isEmpty(inputs.tools)) parameters.tools = json(node, "tools", inputs.tools) as unknown[];
  if (!isEmpty(inputs.tool_choice)) parameters.tool_choice = json(node, "tool_choice", inputs.tool_choice);
  if (!isEmpty(inputs.logit_bias))
    parameters.logit_bias = json(node, "logit_bias", inputs.logit_bias) as Record<string, number>;
  if (!isEmpty(inputs.user)) parameters.user = String(inputs.user);
  for (const name of EXTRA) {
    if (!isEmpty(inputs[name])) {
      parameters.extra ??= {};
      parameters.extra[name] = json(node, name, inputs[name]);
    }
  }
  const model = inputs.deployment_name ?? inputs.model;
  return { model: isEmpty(model) ? undefined : String(model), parameters, variables };
}
