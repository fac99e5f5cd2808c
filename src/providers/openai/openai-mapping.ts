import type OpenAI from "openai";
import type {
  ChatMessage,
  ChatRequest,
  CompletionRequest,
  EmbeddingRequest,
  ModelParameters,
  ModelResponse,
  ModelStreamChunk,
  TokenUsage,
} from "../../core/model-port.js";
import { compact } from "../compact.js";

type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type CompletionParams = OpenAI.Completions.CompletionCreateParamsNonStreaming;

/** promptflow llm parameters → OpenAI request fields (the wire names are the same). */
export function toOpenAIParameters(p: ModelParameters): Record<string, unknown> {
  return compact({
    temperature: p.temperature,
    top_p: p.top_p,
    max_tokens: p.max_tokens,
    stop: p.stop && p.stop.length > 0 ? p.stop : undefined,
    presence_penalty: p.presence_penalty,
    frequency_penalty: p.frequency_penalty,
    seed: p.seed,
    response_format: p.response_format,
    tools: p.tools && p.tools.length > 0 ? p.tools : undefined,
    tool_choice: p.tool_choice,
    logit_bias: p.logit_bias,
    user: p.user,
    n: p.n,
    ...p.extra,
  });
}

export function toOpenAIChatParams(request: ChatRequest): ChatParams {
  return {
    ...toOpenAIParameters(request.parameters),
    model: request.model,
    messages: request.messages.map(toOpenAIMessage),
  } as ChatParams;
}

function toOpenAIMessage(m: ChatMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  const named = m.name ? { name: m.name } : {};
  switch (m.role) {
    case "assistant":
      return compact({ role: "assistant", content: m.content, tool_calls: m.tool_calls, ...named }) as never;
    case "tool":
      return { role: "tool", content: textOf(m), tool_call_id: m.tool_call_id ?? "" };
    case "function":
      return { role: "function", content: textOf(m), name: m.name ?? "" };
    default:
      return { role: m.role, content: m.content ?? "", ...named } as never;
  }
}

export function toOpenAICompletionParams(request: CompletionRequest): CompletionParams {
  return {
    ...toOpenAIParameters(request.parameters),
    model: request.model,
    prompt: request.prompt,
  } as CompletionParams;
}

export function toOpenAIEmbeddingParams(request: EmbeddingRequest): OpenAI.Embeddings.EmbeddingCreateParams {
  const extra = compact({ user: request.parameters.user, ...request.parameters.extra });
  return { ...extra, model: request.model, input: request.input };
}

export function fromOpenAIChat(response: OpenAI.Chat.Completions.ChatCompletion): ModelResponse {
  const choice = response.choices[0];
  const message = choice?.message;
  const toolCalls = (message?.tool_calls ?? []).flatMap((c) =>
    c.type === "function"
      ? [
          {
            id: c.id,
            type: "function" as const,
            function: { name: c.function.name, arguments: c.function.arguments },
          },
        ]
      : [],
  );
  return compact({
    text: message?.content ?? null,
    message: compact({
      role: "assistant" as const,
      content: message?.content ?? null,
      tool_calls: toolCalls.length > 0 ? toolCalls : undefined,
      function_call: message?.function_call
        ? { name: message.function_call.name, arguments: message.function_call.arguments }
        : undefined,
    }),
    finish_reason: choice?.finish_reason ?? undefined,
    usage: fromOpenAIUsage(response.usage),
    model: response.model,
  }) as ModelResponse;
}

export function fromOpenAICompletion(response: OpenAI.Completions.Completion): ModelResponse {
  const choice = response.choices[0];
  return compact({
    text: choice?.text ?? "",
    finish_reason: choice?.finish_reason ?? undefined,
    usage: fromOpenAIUsage(response.usage),
    model: response.model,
  }) as ModelResponse;
}

export function fromOpenAIEmbedding(
  response: OpenAI.Embeddings.CreateEmbeddingResponse,
  input: string | string[],
) {
  const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  return compact({
    embedding: Array.isArray(input) ? vectors : (vectors[0] ?? []),
    usage: fromOpenAIUsage(response.usage),
    model: response.model,
  }) as ModelResponse;
}

export function fromOpenAIUsage(
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    total_tokens?: number;
  } | null,
): TokenUsage {
  const prompt = usage?.prompt_tokens ?? 0;
  const completion = usage?.completion_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage?.total_tokens ?? prompt + completion,
  };
}

export function fromOpenAIChatChunk(
  chunk: OpenAI.Chat.Completions.ChatCompletionChunk,
): ModelStreamChunk | undefined {
  const choice = chunk.choices[0];
  const out = compact({
    text: choice?.delta?.content ?? undefined,
    finish_reason: choice?.finish_reason ?? undefined,
    usage: chunk.usage ? fromOpenAIUsage(chunk.usage) : undefined,
  }) as ModelStreamChunk;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function fromOpenAICompletionChunk(
  chunk: OpenAI.Completions.Completion,
): ModelStreamChunk | undefined {
  const choice = chunk.choices[0];
  const out = compact({
    text: choice?.text || undefined,
    finish_reason: choice?.finish_reason ?? undefined,
    usage: chunk.usage ? fromOpenAIUsage(chunk.usage) : undefined,
  }) as ModelStreamChunk;
  return Object.keys(out).length > 0 ? out : undefined;
}

function textOf(m: ChatMessage): string {
  if (typeof m.content === "string") return m.content;
  return (m.content ?? []).map((p) => (p.type === "text" ? p.text : "")).join("");
}
