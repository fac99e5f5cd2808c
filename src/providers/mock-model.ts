import { createHash } from "node:crypto";
import type { ModelPort, ModelRequest, ModelResponse } from "../core/model-port.js";
import { canonicalRequest, replayStream } from "./record-replay.js";

/** Every mock answer starts with this, so no one mistakes it for a model's answer. */
export const MOCK_LABEL = "[mock answer; no model was called]";
/** The `model` a mock response reports. */
export const MOCK_MODEL = "flowops-mock";
const EMBEDDING_SIZE = 16;
const QUOTED = 80;

/**
 * FLOWOPS_LLM_MODE=mock: a model port that answers any request at once, deterministically (the same
 * request always gets the same answer), without connections or network, so a new flow can be run end
 * to end before any model is configured. Answers are plainly labelled: chat and completion text starts
 * with MOCK_LABEL and quotes the end of the prompt; embeddings are unit vectors derived from a hash of
 * the input; `model` is `flowops-mock`; token usage is estimated (about four characters a token).
 */
export function createMockModelPort(): ModelPort {
  return {
    async invoke(request) {
      return mockResponse(request);
    },
    async *stream(request) {
      yield* replayStream(mockResponse(request));
    },
  };
}

export function mockResponse(request: ModelRequest): ModelResponse {
  const digest = createHash("sha256")
    .update(JSON.stringify(canonicalRequest(request)))
    .digest();
  const promptChars = JSON.stringify(canonicalRequest(request)).length;
  if (request.api === "embedding") {
    const inputs = Array.isArray(request.input) ? request.input : [request.input];
    const vectors = inputs.map((input) => unitVector(input));
    const prompt_tokens = Math.ceil(promptChars / 4);
    return {
      embedding: Array.isArray(request.input) ? vectors : vectors[0]!,
      usage: { prompt_tokens, completion_tokens: 0, total_tokens: prompt_tokens },
      model: MOCK_MODEL,
    };
  }
  const prompt = request.api === "chat" ? lastUserText(request.messages) : request.prompt;
  const quoted = prompt.replace(/\s+/g, " ").trim();
  const tail = quoted.length > QUOTED ? `…${quoted.slice(-QUOTED)}` : quoted;
  const text = `${MOCK_LABEL} ${digest.toString("hex").slice(0, 8)}: you said "${tail}"`;
  const prompt_tokens = Math.ceil(promptChars / 4);
  const completion_tokens = Math.ceil(text.length / 4);
  return {
    text,
    ...(request.api === "chat" ? { message: { role: "assistant" as const, content: text } } : {}),
    finish_reason: "stop",
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
    model: MOCK_MODEL,
  };
}

function lastUserText(messages: Extract<ModelRequest, { api: "chat" }>["messages"]): string {
  const message = messages.filter((m) => m.role === "user").at(-1) ?? messages.at(-1);
  const content = message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (part.type === "text" ? part.text : "[image]")).join(" ");
  }
  return "";
}

function unitVector(input: string): number[] {
  const bytes = createHash("sha256").update(input).digest();
  const raw = Array.from({ length: EMBEDDING_SIZE }, (_, i) => bytes[i]! / 255 - 0.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => x / norm);
}
