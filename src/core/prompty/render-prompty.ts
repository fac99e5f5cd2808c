import { readFile } from "node:fs/promises";
import { UserError } from "../errors.js";
import type { FlowDefinition } from "../flow-definition.js";
import { parseChatPrompt } from "../parse-chat-prompt.js";
import { renderChatPrompt, renderPrompt } from "../render-prompt.js";
import { coerceFlowInputs } from "../resolve-inputs.js";
import { promptyBody } from "./split-prompty.js";

/** What `Prompty.render()` and `estimate_token_count()` need: the prompt, and the answer's token budget. */
export interface RenderedPrompty {
  /** Chat prompties: the messages sent to the model; completion prompties: the prompt text. */
  prompt: { role: string; content: unknown }[] | string;
  /** `model.parameters.max_tokens`, when set. */
  max_tokens?: unknown;
}

/**
 * promptflow's `Prompty(...)` checks its inputs before anything else: the names with neither a value
 * nor a default, in promptflow's words (`Missing required inputs: ['question']`).
 */
export function checkPromptyInputs(definition: FlowDefinition, given: Record<string, unknown>): void {
  const missing = Object.entries(definition.inputs)
    .filter(([name, input]) => given[name] === undefined && input.default === undefined && !input.optional)
    .map(([name]) => `'${name}'`);
  if (missing.length > 0) {
    throw new UserError("MissingRequiredInput", `Missing required inputs: [${missing.join(", ")}]`, {
      field: missing[0]!.slice(1, -1),
    });
  }
}

/** promptflow's `Prompty.render(**inputs)`: the prompt the model would get, without calling it. */
export async function renderPrompty(
  definition: FlowDefinition,
  given: Record<string, unknown>,
): Promise<RenderedPrompty> {
  checkPromptyInputs(definition, given);
  const inputs = coerceFlowInputs(definition.inputs, given);
  const body = promptyBody(await readFile(definition.file, "utf8"), definition.file);
  const node = definition.nodes[0]!;
  const max = node.inputs["max_tokens"];
  const budget = max === undefined ? {} : { max_tokens: max };
  if (node.api === "completion") return { prompt: renderPrompt(body, inputs), ...budget };
  const messages = parseChatPrompt(renderChatPrompt(body, inputs));
  return { prompt: messages.map((m) => ({ role: m.role, content: m.content })), ...budget };
}
