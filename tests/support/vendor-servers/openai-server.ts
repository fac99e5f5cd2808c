import type { ServerResponse } from "node:http";
import {
  bearerOrKey,
  defaultReplyText,
  type RecordedRequest,
  type Reply,
  sendJson,
  sendSse,
  splitText,
  startScriptedServer,
  type VendorProtocol,
  type VendorServer,
} from "./scripted-server.js";

export type OpenAIApi = "chat" | "completion" | "embedding";

/**
 * OpenAI's wire protocol (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`; JSON or SSE with
 * `data: [DONE]`; errors as `{error: {message, type, code}}`). `route` maps a path to an api, so the
 * Azure OpenAI server reuses this protocol with deployment URLs.
 */
export function openAIProtocol(route: (request: RecordedRequest) => OpenAIApi | undefined): VendorProtocol {
  return {
    authMessage: (request) => `Incorrect API key provided: ${bearerOrKey(request, "api-key")}.`,
    error(_request, status, message, res) {
      const type =
        status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
      sendJson(res, status, { error: { message, type, code: String(status), param: null } });
    },
    reply(request, reply, res) {
      const api = route(request);
      if (!api) return sendJson(res, 404, { error: { message: "Resource not found", code: "404" } });
      const body = (request.body ?? {}) as {
        model?: string;
        stream?: boolean;
        input?: unknown;
        encoding_format?: string;
      };
      const model = body.model ?? "deployment";
      if (api === "embedding")
        return sendJson(res, 200, embeddingBody(body.input, model, reply, body.encoding_format));
      if (body.stream) return streamBody(api, model, reply, res, request);
      return sendJson(res, 200, api === "chat" ? chatBody(model, reply) : completionBody(model, reply));
    },
  };
}

/**
 * The environment variable that defines promptflow's usual `open_ai_connection` (or `name`) as an
 * `open_ai` connection to this server, for flows written in promptflow's style.
 */
export function openAIConnectionVariable(
  server: { url: string },
  name = "OPEN_AI_CONNECTION",
): Record<string, string> {
  return {
    [`FLOWOPS_CONNECTION_${name}`]: JSON.stringify({
      type: "open_ai",
      api_key: "sk-test",
      base_url: `${server.url}/v1`,
    }),
  };
}

export function startOpenAIServer(): Promise<VendorServer> {
  return startScriptedServer(
    openAIProtocol((request) => {
      if (request.method !== "POST") return undefined;
      if (request.path === "/v1/chat/completions") return "chat";
      if (request.path === "/v1/completions") return "completion";
      if (request.path === "/v1/embeddings") return "embedding";
      return undefined;
    }),
  );
}

const created = 1_700_000_000;

function usageOf(reply: Reply) {
  const usage = reply.usage ?? { prompt: 12, completion: 9 };
  return {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    total_tokens: usage.prompt + usage.completion,
  };
}

function chatBody(model: string, reply: Reply) {
  const toolCalls = reply.toolCalls?.map((c) => ({
    id: c.id,
    type: "function",
    function: { name: c.name, arguments: c.arguments },
  }));
  const text = reply.text ?? (toolCalls || reply.functionCall ? null : defaultReplyText);
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text,
          refusal: null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
          ...(reply.functionCall ? { function_call: reply.functionCall } : {}),
        },
        finish_reason:
          reply.finishReason ?? (toolCalls ? "tool_calls" : reply.functionCall ? "function_call" : "stop"),
        logprobs: null,
      },
    ],
    usage: usageOf(reply),
  };
}

function completionBody(model: string, reply: Reply) {
  return {
    id: "cmpl-1",
    object: "text_completion",
    created,
    model,
    choices: [
      {
        index: 0,
        text: reply.text ?? defaultReplyText,
        finish_reason: reply.finishReason ?? "stop",
        logprobs: null,
      },
    ],
    usage: usageOf(reply),
  };
}

function embeddingBody(input: unknown, model: string, reply: Reply, encoding?: string) {
  const inputs = Array.isArray(input) ? input : [input];
  return {
    object: "list",
    model,
    data: inputs.map((_, index) => ({
      object: "embedding",
      index,
      embedding: encode(reply.embeddings?.[index] ?? [index + 0.1, index + 0.2, index + 0.3], encoding),
    })),
    usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 },
  };
}

function streamBody(
  api: OpenAIApi,
  model: string,
  reply: Reply,
  res: ServerResponse,
  request: RecordedRequest,
) {
  const pieces = splitText(reply.text ?? defaultReplyText);
  const includeUsage = (request.body as { stream_options?: { include_usage?: boolean } }).stream_options
    ?.include_usage;
  const base = { id: "chunk-1", created, model };
  const events: Array<[undefined, unknown]> = [];
  if (api === "chat") {
    events.push([
      undefined,
      {
        ...base,
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
      },
    ]);
    for (const piece of pieces) {
      events.push([
        undefined,
        {
          ...base,
          object: "chat.completion.chunk",
          choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
        },
      ]);
    }
    events.push([
      undefined,
      { ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    ]);
    if (includeUsage)
      events.push([
        undefined,
        { ...base, object: "chat.completion.chunk", choices: [], usage: usageOf(reply) },
      ]);
  } else {
    for (const piece of pieces) {
      events.push([
        undefined,
        {
          ...base,
          object: "text_completion",
          choices: [{ index: 0, text: piece, finish_reason: null, logprobs: null }],
        },
      ]);
    }
    events.push([
      undefined,
      {
        ...base,
        object: "text_completion",
        choices: [{ index: 0, text: "", finish_reason: "stop", logprobs: null }],
      },
    ]);
    if (includeUsage)
      events.push([undefined, { ...base, object: "text_completion", choices: [], usage: usageOf(reply) }]);
  }
  events.push([undefined, "[DONE]"]);
  sendSse(res, events);
}

/** The SDK asks for `encoding_format: "base64"` (little-endian float32) and decodes it itself. */
function encode(vector: number[], encoding?: string): number[] | string {
  return encoding === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
}
