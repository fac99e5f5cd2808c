import {
  defaultReplyText,
  sendJson,
  sendSse,
  splitText,
  startScriptedServer,
  type VendorServer,
} from "./scripted-server.js";

/**
 * Mistral's API: `POST /v1/chat/completions` (JSON, or SSE `data:` lines ending with `[DONE]`) and
 * `POST /v1/embeddings`, bearer auth; errors as `{object: "error", message, type, code}`.
 */
export function startMistralServer(): Promise<VendorServer> {
  return startScriptedServer({
    authMessage: (request) => `Unauthorized: ${String(request.headers["authorization"] ?? "")}`,
    error(_request, status, message, res) {
      sendJson(res, status, {
        object: "error",
        message,
        type: status === 429 ? "rate_limited" : "invalid_request_error",
        param: null,
        code: String(status),
      });
    },
    reply(request, reply, res) {
      const body = request.body as { model: string; stream?: boolean; input?: unknown; inputs?: unknown };
      if (request.method === "POST" && request.path === "/v1/embeddings") {
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        return sendJson(res, 200, {
          id: "emb-1",
          object: "list",
          model: body.model,
          usage: { prompt_tokens: inputs.length * 2, completion_tokens: 0, total_tokens: inputs.length * 2 },
          data: inputs.map((_, index) => ({
            object: "embedding",
            index,
            embedding: reply.embeddings?.[index] ?? [index + 0.1, index + 0.2, index + 0.3],
          })),
        });
      }
      if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
        return sendJson(res, 404, { object: "error", message: "Not found", type: "not_found", code: "404" });
      }
      const usage = {
        prompt_tokens: reply.usage?.prompt ?? 11,
        completion_tokens: reply.usage?.completion ?? 9,
        total_tokens: (reply.usage?.prompt ?? 11) + (reply.usage?.completion ?? 9),
      };
      const base = { id: "cmpl-1", object: "chat.completion", model: body.model, created: 1_700_000_000 };
      if (body.stream) {
        const events: Array<[undefined, unknown]> = [
          [
            undefined,
            {
              ...base,
              object: "chat.completion.chunk",
              choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
            },
          ],
        ];
        for (const piece of splitText(reply.text ?? defaultReplyText)) {
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
          {
            ...base,
            object: "chat.completion.chunk",
            choices: [{ index: 0, delta: { content: "" }, finish_reason: "stop" }],
            usage,
          },
        ]);
        events.push([undefined, "[DONE]"]);
        return sendSse(res, events);
      }
      const toolCalls = reply.toolCalls?.map((c, index) => ({
        id: c.id,
        type: "function",
        index,
        function: { name: c.name, arguments: c.arguments },
      }));
      sendJson(res, 200, {
        ...base,
        usage,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: reply.text ?? (toolCalls ? "" : defaultReplyText),
              tool_calls: toolCalls ?? null,
              prefix: false,
            },
            finish_reason: reply.finishReason ?? (toolCalls ? "tool_calls" : "stop"),
          },
        ],
      });
    },
  });
}
