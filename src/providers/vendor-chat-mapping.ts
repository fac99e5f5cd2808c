/**
 * The pieces of chat mapping that the Anthropic, Mistral and Bedrock adapters share: each adapter keeps
 * its own SDK types and calls these for the vendor-neutral parts of a request or response.
 */
import type { ChatMessage, ChatToolCall, ModelResponse, TokenUsage } from "../core/model-port.js";
import { compact } from "./compact.js";

/** The response of an assistant turn: `text` (null when it only calls tools), its message, usage. */
export function assistantResponse(answer: {
  text: string;
  toolCalls: ChatToolCall[];
  finishReason: string | null | undefined;
  usage: TokenUsage;
  model: string | undefined;
}): ModelResponse {
  const { toolCalls } = answer;
  const content = answer.text || (toolCalls.length > 0 ? null : "");
  return compact({
    text: content,
    message: compact({
      role: "assistant" as const,
      content,
      tool_calls: toolCalls.length > 0 ? toolCalls : undefined,
    }),
    finish_reason: answer.finishReason,
    usage: answer.usage,
    model: answer.model,
  }) as ModelResponse;
}

/** Token usage; the total is the vendor's when it reports one, else prompt + completion. */
export function tokenUsage(prompt: number, completion: number, total?: number): TokenUsage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total ?? prompt + completion };
}

/** A vendor's stop reason in OpenAI's words (`stop`, `length`, `tool_calls`...) where `table` knows it. */
export function toFinishReason(
  table: Record<string, string>,
  reason: string | null | undefined,
): string | undefined {
  return reason ? (table[reason] ?? reason) : undefined;
}

/** A tool call's JSON arguments as an object (unparsable text is kept as `{ arguments }`). */
export function parseToolArguments(call: ChatToolCall): unknown {
  try {
    return JSON.parse(call.function.arguments || "{}");
  } catch {
    return { arguments: call.function.arguments };
  }
}

/** The text parts of a message's content, joined. */
export function textOfContent(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  return (content ?? []).map((p) => (p.type === "text" ? p.text : "")).join("");
}

/**
 * The non-system messages as alternating user/assistant turns (tool results count as user turns):
 * consecutive messages of the same role are merged into one turn of `toBlocks`' blocks.
 */
export function toAlternatingTurns<B>(
  messages: ChatMessage[],
  toBlocks: (message: ChatMessage) => B[],
): { role: "user" | "assistant"; content: B[] }[] {
  const turns: { role: "user" | "assistant"; content: B[] }[] = [];
  for (const m of messages) {
    if (m.role === "system") continue;
    const role = m.role === "assistant" ? "assistant" : "user";
    const blocks = toBlocks(m);
    const last = turns.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  return turns;
}
