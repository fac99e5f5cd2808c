import {
  defaultReplyText,
  type Reply,
  sendJson,
  sendSse,
  splitText,
  startScriptedServer,
  type VendorServer,
} from "./scripted-server.js";

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  529: "overloaded_error",
};

/**
 * Anthropic's Messages API: `POST /v1/messages` (`x-api-key` or bearer, `anthropic-version`), JSON or SSE with
 * `message_start`, `content_block_start`, `content_block_delta`, `content_block_stop`, `message_delta`,
 * `message_stop`; errors as `{type: "error", error: {type, message}}`.
 */
export function startAnthropicServer(): Promise<VendorServer> {
  return startScriptedServer({
    authMessage: (request) =>
      `invalid x-api-key: ${String(request.headers["x-api-key"] ?? request.headers["authorization"] ?? "")}`,
    error(_request, status, message, res) {
      sendJson(res, status, { type: "error", error: { type: errorTypes[status] ?? "api_error", message } });
    },
    reply(request, reply, res) {
      if (request.method !== "POST" || request.path !== "/v1/messages") {
        return sendJson(res, 404, {
          type: "error",
          error: { type: "not_found_error", message: "Not found" },
        });
      }
      const body = request.body as { model: string; stream?: boolean };
      if (body.stream) return sendSse(res, streamEvents(body.model, reply));
      sendJson(res, 200, messageBody(body.model, reply));
    },
  });
}

function usage(reply: Reply) {
  return { input_tokens: reply.usage?.prompt ?? 14, output_tokens: reply.usage?.completion ?? 9 };
}

function messageBody(model: string, reply: Reply) {
  const content: unknown[] = [];
  const text = reply.text ?? (reply.toolCalls ? undefined : defaultReplyText);
  if (text !== undefined) content.push({ type: "text", text });
  for (const call of reply.toolCalls ?? []) {
    content.push({ type: "tool_use", id: call.id, name: call.name, input: JSON.parse(call.arguments) });
  }
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: reply.finishReason ?? (reply.toolCalls ? "tool_use" : "end_turn"),
    stop_sequence: null,
    usage: usage(reply),
  };
}

function streamEvents(model: string, reply: Reply): Array<[string, unknown]> {
  const u = usage(reply);
  const events: Array<[string, unknown]> = [
    [
      "message_start",
      {
        type: "message_start",
        message: {
          id: "msg_1",
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: u.input_tokens, output_tokens: 1 },
        },
      },
    ],
    [
      "content_block_start",
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    ],
    ["ping", { type: "ping" }],
  ];
  for (const piece of splitText(reply.text ?? defaultReplyText)) {
    events.push([
      "content_block_delta",
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } },
    ]);
  }
  events.push(
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    [
      "message_delta",
      {
        type: "message_delta",
        delta: { stop_reason: reply.finishReason ?? "end_turn", stop_sequence: null },
        usage: { output_tokens: u.output_tokens },
      },
    ],
    ["message_stop", { type: "message_stop" }],
  );
  return events;
}
