import type { ServerResponse } from "node:http";
// The AWS event-stream codec ships inside @smithy/core, a dependency of @aws-sdk/client-bedrock-runtime.
import { EventStreamCodec } from "@smithy/core/event-streams";
import {
  defaultReplyText,
  type Reply,
  sendJson,
  splitText,
  startScriptedServer,
  type VendorServer,
} from "./scripted-server.js";

const errorTypes: Record<number, string> = {
  400: "ValidationException",
  401: "UnrecognizedClientException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  408: "ModelTimeoutException",
  429: "ThrottlingException",
  500: "InternalServerException",
  503: "ServiceUnavailableException",
};

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString("utf8"),
  (text) => new Uint8Array(Buffer.from(text, "utf8")),
);

/**
 * Amazon Bedrock runtime (restJson1): `POST /model/{modelId}/converse` (JSON),
 * `/model/{modelId}/converse-stream` (binary AWS event-stream frames, `:event-type` = messageStart,
 * contentBlockDelta, contentBlockStop, messageStop, metadata) and `/model/{modelId}/invoke` (Titan
 * embeddings); errors as `x-amzn-errortype` + `{message}`. SigV4 signatures are recorded, not checked.
 */
export function startBedrockServer(): Promise<VendorServer> {
  return startScriptedServer({
    authMessage: (request) =>
      `The security token included in the request is invalid: ${String(request.headers["authorization"] ?? "")}`,
    error(_request, status, message, res) {
      sendJson(
        res,
        status,
        { message },
        { "x-amzn-errortype": errorTypes[status] ?? "InternalServerException" },
      );
    },
    reply(request, reply, res) {
      const match = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(request.path);
      if (request.method !== "POST" || !match) {
        return sendJson(
          res,
          404,
          { message: "Not found" },
          { "x-amzn-errortype": "ResourceNotFoundException" },
        );
      }
      const operation = match[2];
      if (operation === "invoke") {
        const body = request.body as { inputText?: string };
        return sendJson(res, 200, {
          embedding: reply.embeddings?.[0] ?? [0.1, 0.2, 0.3],
          inputTextTokenCount: (body.inputText ?? "").split(/\s+/).length,
        });
      }
      if (operation === "converse-stream") return stream(reply, res);
      sendJson(res, 200, converseBody(reply));
    },
  });
}

function usage(reply: Reply) {
  const input = reply.usage?.prompt ?? 13;
  const output = reply.usage?.completion ?? 9;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

function converseBody(reply: Reply) {
  const content: unknown[] = [];
  const text = reply.text ?? (reply.toolCalls ? undefined : defaultReplyText);
  if (text !== undefined) content.push({ text });
  for (const call of reply.toolCalls ?? []) {
    content.push({ toolUse: { toolUseId: call.id, name: call.name, input: JSON.parse(call.arguments) } });
  }
  return {
    output: { message: { role: "assistant", content } },
    stopReason: reply.finishReason ?? (reply.toolCalls ? "tool_use" : "end_turn"),
    usage: usage(reply),
    metrics: { latencyMs: 42 },
  };
}

function stream(reply: Reply, res: ServerResponse) {
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
  const send = (eventType: string, body: unknown) => {
    const frame = codec.encode({
      headers: {
        ":event-type": { type: "string", value: eventType },
        ":content-type": { type: "string", value: "application/json" },
        ":message-type": { type: "string", value: "event" },
      },
      body: new Uint8Array(Buffer.from(JSON.stringify(body), "utf8")),
    });
    res.write(Buffer.from(frame));
  };
  send("messageStart", { role: "assistant" });
  for (const piece of splitText(reply.text ?? defaultReplyText)) {
    send("contentBlockDelta", { contentBlockIndex: 0, delta: { text: piece } });
  }
  send("contentBlockStop", { contentBlockIndex: 0 });
  send("messageStop", { stopReason: reply.finishReason ?? "end_turn" });
  send("metadata", { usage: usage(reply), metrics: { latencyMs: 42 } });
  res.end();
}
