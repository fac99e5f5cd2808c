import type * as components from "@mistralai/mistralai/models/components";
import type {
  ChatMessage,
  ChatRequest,
  ChatToolCall,
  EmbeddingRequest,
  ModelResponse,
  ModelStreamChunk,
  TokenUsage,
} from "../../core/model-port.js";
import { compact } from "../compact.js";
import { assistantResponse, tokenUsage } from "../vendor-chat-mapping.js";

type Mutable = Record<string, unknown>;

/** ChatRequest → Mistral chat request (the SDK uses camelCase and serialises to the wire names). */
export function toMistralChatRequest(request: ChatRequest): components.ChatCompletionRequest {
  const p = request.parameters;
  return compact({
    model: request.model,
    messages: request.messages.map(toMistralMessage),
    temperature: p.temperature,
    topP: p.top_p,
    maxTokens: p.max_tokens,
    stop: p.stop && p.stop.length > 0 ? p.stop : undefined,
    randomSeed: p.seed,
    presencePenalty: p.presence_penalty,
    frequencyPenalty: p.frequency_penalty,
    n: p.n,
    responseFormat: p.response_format
      ? compact({ type: p.response_format.type, jsonSchema: p.response_format.json_schema as never })
      : undefined,
    tools: p.tools && p.tools.length > 0 ? (p.tools as never) : undefined,
    toolChoice: toMistralToolChoice(p.tool_choice),
    ...p.extra,
  }) as components.ChatCompletionRequest;
}

function toMistralMessage(m: ChatMessage): components.ChatCompletionRequest["messages"][number] {
  const content =
    typeof m.content === "string" || m.content === null ? m.content : (m.content.map(toChunk) as never);
  if (m.role === "assistant") {
    return compact({
      role: "assistant" as const,
      content,
      toolCalls: m.tool_calls?.map((c) => ({ id: c.id, type: "function" as const, function: c.function })),
    }) as never;
  }
  if (m.role === "tool" || m.role === "function") {
    return compact({ role: "tool" as const, content, toolCallId: m.tool_call_id, name: m.name }) as never;
  }
  return { role: m.role, content: content ?? "" } as never;
}

function toChunk(part: Exclude<ChatMessage["content"], string | null>[number]): Mutable {
  return part.type === "text"
    ? { type: "text", text: part.text }
    : { type: "image_url", imageUrl: part.image_url.url };
}

function toMistralToolChoice(choice: unknown): components.ChatCompletionRequest["toolChoice"] {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === "string") return choice as never;
  const named = choice as { function?: { name: string } };
  return (named.function ? { type: "function", function: { name: named.function.name } } : choice) as never;
}

export function toMistralEmbeddingRequest(request: EmbeddingRequest): components.EmbeddingRequest {
  return { ...(request.parameters.extra ?? {}), model: request.model, inputs: request.input };
}

export function fromMistralChat(response: components.ChatCompletionResponse): ModelResponse {
  const choice = response.choices[0];
  const text = textOf(choice?.message?.content);
  const toolCalls: ChatToolCall[] = (choice?.message?.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${i}`,
    type: "function",
    function: {
      name: c.function.name,
      arguments:
        typeof c.function.arguments === "string"
          ? c.function.arguments
          : JSON.stringify(c.function.arguments),
    },
  }));
  return assistantResponse({
    text,
    toolCalls,
    finishReason: choice?.finishReason,
    usage: fromMistralUsage(response.usage),
    model: response.model,
  });
}

export function fromMistralChunk(event: { data: components.CompletionChunk }): ModelStreamChunk | undefined {
  const choice = event.data.choices[0];
  const out = compact({
    text: textOf(choice?.delta.content) || undefined,
    finish_reason: choice?.finishReason ?? undefined,
    usage: event.data.usage ? fromMistralUsage(event.data.usage) : undefined,
  }) as ModelStreamChunk;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function fromMistralEmbedding(
  response: components.EmbeddingResponse,
  input: string | string[],
): ModelResponse {
  const vectors = [...response.data]
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((d) => d.embedding ?? []);
  return compact({
    embedding: Array.isArray(input) ? vectors : (vectors[0] ?? []),
    usage: fromMistralUsage(response.usage),
    model: response.model,
  }) as ModelResponse;
}

function fromMistralUsage(usage: components.UsageInfo | undefined): TokenUsage {
  return tokenUsage(usage?.promptTokens ?? 0, usage?.completionTokens ?? 0, usage?.totalTokens);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((c: { type?: string; text?: string }) => (c.type === "text" ? (c.text ?? "") : ""))
    .join("");
}
