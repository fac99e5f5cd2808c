import type Anthropic from "@anthropic-ai/sdk";
import type {
  ChatContentPart,
  ChatMessage,
  ChatRequest,
  ChatToolCall,
  ModelResponse,
  ModelStreamChunk,
} from "../../core/model-port.js";
import { compact } from "../compact.js";
import {
  assistantResponse,
  parseToolArguments,
  textOfContent,
  toAlternatingTurns,
  toFinishReason,
  tokenUsage,
} from "../vendor-chat-mapping.js";

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type Block = Anthropic.Messages.ContentBlockParam;

/** Anthropic requires max_tokens; this is used when the node does not set it. */
export const defaultAnthropicMaxTokens = 4096;

const finishReasons: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** ChatRequest → Messages API: system messages go to `system`, tool results become user blocks. */
export function toAnthropicParams(request: ChatRequest): Params {
  const p = request.parameters;
  const system = request.messages
    .filter((m) => m.role === "system")
    .map((m) => textOfContent(m.content))
    .join("\n\n");
  const messages: Anthropic.Messages.MessageParam[] = toAlternatingTurns(request.messages, toBlocks);
  return compact({
    model: request.model,
    max_tokens: p.max_tokens ?? defaultAnthropicMaxTokens,
    messages,
    system: system || undefined,
    temperature: p.temperature,
    top_p: p.top_p,
    stop_sequences: p.stop && p.stop.length > 0 ? p.stop : undefined,
    tools: p.tools && p.tools.length > 0 ? p.tools.map(toAnthropicTool) : undefined,
    tool_choice: toAnthropicToolChoice(p.tool_choice),
    metadata: p.user ? { user_id: p.user } : undefined,
    ...p.extra,
  }) as Params;
}

function toBlocks(m: ChatMessage): Block[] {
  if (m.role === "tool" || m.role === "function") {
    return [
      { type: "tool_result", tool_use_id: m.tool_call_id ?? m.name ?? "", content: textOfContent(m.content) },
    ];
  }
  const blocks: Block[] =
    typeof m.content === "string" ? (m.content ? [{ type: "text", text: m.content }] : []) : [];
  if (Array.isArray(m.content)) blocks.push(...m.content.map(toContentBlock));
  for (const call of m.tool_calls ?? []) {
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseToolArguments(call) });
  }
  return blocks;
}

function toContentBlock(part: ChatContentPart): Block {
  if (part.type === "text") return { type: "text", text: part.text };
  const data = /^data:(image\/[a-z+]+);base64,(.*)$/s.exec(part.image_url.url);
  if (data) {
    const media = data[1] as "image/png" | "image/jpeg" | "image/gif" | "image/webp";
    return { type: "image", source: { type: "base64", media_type: media, data: data[2] ?? "" } };
  }
  return { type: "image", source: { type: "url", url: part.image_url.url } };
}

/** OpenAI-style `{type: "function", function: {name, description, parameters}}` → Anthropic tool. */
function toAnthropicTool(tool: unknown): Anthropic.Messages.Tool {
  const t = tool as {
    function?: { name: string; description?: string; parameters?: unknown };
    name?: string;
  };
  if (!t.function) return tool as Anthropic.Messages.Tool;
  return compact({
    name: t.function.name,
    description: t.function.description,
    input_schema: (t.function.parameters ?? {
      type: "object",
      properties: {},
    }) as Anthropic.Messages.Tool.InputSchema,
  }) as Anthropic.Messages.Tool;
}

function toAnthropicToolChoice(choice: unknown): Anthropic.Messages.ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto") return { type: "auto" };
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any" };
  const named = choice as { type?: string; function?: { name: string } };
  if (named.function?.name) return { type: "tool", name: named.function.name };
  return choice as Anthropic.Messages.ToolChoice;
}

export function fromAnthropicMessage(message: Anthropic.Messages.Message): ModelResponse {
  const text = message.content
    .filter((b): b is Anthropic.Messages.TextBlock => b.type === "text")
    .map((b) => b.text)
    .join("");
  const toolCalls: ChatToolCall[] = message.content
    .filter((b): b is Anthropic.Messages.ToolUseBlock => b.type === "tool_use")
    .map((b) => ({
      id: b.id,
      type: "function",
      function: { name: b.name, arguments: JSON.stringify(b.input) },
    }));
  return assistantResponse({
    text,
    toolCalls,
    finishReason: toFinishReason(finishReasons, message.stop_reason),
    usage: tokenUsage(message.usage.input_tokens, message.usage.output_tokens),
    model: message.model,
  });
}

/** Maps stream events, remembering the prompt tokens `message_start` reported for the final chunk. */
export function createAnthropicChunkMapper(): (
  event: Anthropic.Messages.RawMessageStreamEvent,
) => ModelStreamChunk | undefined {
  let inputTokens = 0;
  return (event) => {
    if (event.type === "message_start") inputTokens = event.message.usage.input_tokens;
    if (event.type === "content_block_delta" && event.delta.type === "text_delta")
      return { text: event.delta.text };
    if (event.type === "message_delta") {
      return compact({
        finish_reason: toFinishReason(finishReasons, event.delta.stop_reason),
        usage: tokenUsage(event.usage.input_tokens ?? inputTokens, event.usage.output_tokens),
      }) as ModelStreamChunk;
    }
    return undefined;
  };
}
