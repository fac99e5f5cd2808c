import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatRequest, ModelStreamChunk } from "../../src/core/model-port.js";
import type { CreateProviderOptions } from "../../src/providers/create-provider.js";
import { type ModelProvider, UnsupportedOperationError } from "../../src/providers/model-provider.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import {
  defaultReplyText,
  type RecordedRequest,
  type VendorServer,
} from "./vendor-servers/scripted-server.js";

/** Small delays so the suite runs in seconds; the timeout is what the slow-response test trips. */
export const contractProviderOptions: CreateProviderOptions = {
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  timeoutMs: 600,
};

export interface ProviderFixture {
  provider: ModelProvider;
  server: VendorServer;
  /** The connection's secret, which must never appear in an error. */
  secret: string;
  /** Name of the connection, expected in error messages. */
  connection: string;
  /** Vendor name as messages say it, e.g. "Azure OpenAI". */
  label: string;
}

export interface ContractOptions {
  model: string;
  completion: boolean;
  embedding: boolean;
  /** Checks the vendor-native request the SDK sent for the basic chat call (temperature 0.2, max_tokens 50). */
  checkChatRequest(request: RecordedRequest): void;
}

const chatRequest = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  api: "chat",
  connection: "contract",
  model,
  node: "answer",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Say hello." },
  ],
  parameters: { temperature: 0.2, max_tokens: 50 },
  ...extra,
});

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

async function collect(stream: AsyncIterable<ModelStreamChunk>): Promise<ModelStreamChunk[]> {
  const chunks: ModelStreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** The behaviour every vendor adapter must show, against that vendor's wire-protocol server. */
export function runProviderContract(
  name: string,
  factory: () => Promise<ProviderFixture>,
  options: ContractOptions,
) {
  describe(`${name} provider contract`, () => {
    let f: ProviderFixture;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.server.close();
    });
    const chat = (extra: Partial<ChatRequest> = {}) => f.provider.chat(chatRequest(options.model, extra));

    it("chats: text, assistant message, usage and finish reason; sends the mapped parameters", async () => {
      f.server.enqueue({ reply: { text: "Hello there.", usage: { prompt: 20, completion: 3 } } });
      const response = await chat();
      expect(response.text).toBe("Hello there.");
      expect(response.message).toMatchObject({ role: "assistant", content: "Hello there." });
      expect(response.usage).toEqual({ prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 });
      expect(response.finish_reason).toBe("stop");
      expect(f.server.requests).toHaveLength(1);
      options.checkChatRequest(f.server.requests[0]!);
    });

    it("streams chat: the deltas join to the full text, usage and finish reason arrive", async () => {
      const chunks = await collect(f.provider.streamChat(chatRequest(options.model)));
      expect(chunks.length).toBeGreaterThan(2);
      expect(chunks.map((c) => c.text ?? "").join("")).toBe(defaultReplyText);
      expect(chunks.find((c) => c.usage)?.usage?.total_tokens).toBeGreaterThan(0);
      expect(chunks.find((c) => c.finish_reason)?.finish_reason).toBe("stop");
    });

    it("retries a stream that fails before its first chunk", async () => {
      f.server.enqueue({ status: 503 });
      const chunks = await collect(f.provider.streamChat(chatRequest(options.model)));
      expect(chunks.map((c) => c.text ?? "").join("")).toBe(defaultReplyText);
      expect(f.server.requests).toHaveLength(2);
    });

    it(options.completion ? "completes a prompt" : "says completion is unsupported", async () => {
      const request = {
        api: "completion" as const,
        connection: "c",
        model: options.model,
        prompt: "Once",
        parameters: {},
      };
      if (!options.completion) {
        await expect(f.provider.completion(request)).rejects.toBeInstanceOf(UnsupportedOperationError);
        return;
      }
      f.server.enqueue({ reply: { text: " upon a time" } });
      const response = await f.provider.completion(request);
      expect(response.text).toBe(" upon a time");
      expect(response.usage.total_tokens).toBeGreaterThan(0);
    });

    it(options.embedding ? "embeds one text or a list" : "says embedding is unsupported", async () => {
      const request = (input: string | string[]) => ({
        api: "embedding" as const,
        connection: "c",
        model: options.model,
        input,
        parameters: {},
      });
      if (!options.embedding) {
        await expect(f.provider.embedding(request("x"))).rejects.toBeInstanceOf(UnsupportedOperationError);
        return;
      }
      f.server.enqueue({ reply: { embeddings: [[1, 2, 3]] } });
      expect((await f.provider.embedding(request("one"))).embedding).toEqual([1, 2, 3]);
      const list = await f.provider.embedding(request(["a", "b"]));
      expect(list.embedding as number[][]).toHaveLength(2);
    });

    it("round-trips tool calls", async () => {
      f.server.enqueue({
        reply: { toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
      });
      const first = await chat({ parameters: { tools: [weatherTool], tool_choice: "auto" } });
      expect(first.finish_reason).toBe("tool_calls");
      const call = first.message?.tool_calls?.[0];
      expect(call?.function.name).toBe("get_weather");
      expect(JSON.parse(call?.function.arguments ?? "null")).toEqual({ city: "Paris" });
      expect(JSON.stringify(f.server.requests[0]!.body)).toContain("get_weather");

      f.server.enqueue({ reply: { text: "It is 18C in Paris." } });
      const second = await chat({
        parameters: { tools: [weatherTool] },
        messages: [
          { role: "user", content: "Weather in Paris?" },
          first.message!,
          { role: "tool", tool_call_id: call!.id, content: "18C and sunny" },
        ],
      });
      expect(second.text).toBe("It is 18C in Paris.");
      const sent = JSON.stringify(f.server.requests[1]!.body);
      expect(sent).toContain("call_1");
      expect(sent).toContain("18C and sunny");
    });

    it("waits as long as retry-after-ms says after a 429, then succeeds", async () => {
      f.server.enqueue({ status: 429, headers: { "retry-after-ms": "200" } });
      expect((await chat()).text).toBe(defaultReplyText);
      const [a, b] = f.server.requests;
      expect(f.server.requests).toHaveLength(2);
      expect(b!.at - a!.at).toBeGreaterThanOrEqual(180);
    });

    it("waits as long as retry-after (seconds) says after a 429, then succeeds", async () => {
      f.server.enqueue({ status: 429, headers: { "retry-after": "1" } });
      expect((await chat()).text).toBe(defaultReplyText);
      const [a, b] = f.server.requests;
      expect(b!.at - a!.at).toBeGreaterThanOrEqual(950);
    });

    it("retries a 500, then succeeds", async () => {
      f.server.enqueue({ status: 500 });
      expect((await chat()).text).toBe(defaultReplyText);
      expect(f.server.requests).toHaveLength(2);
    });

    it("retries a dropped connection, then succeeds", async () => {
      f.server.enqueue({ drop: true });
      expect((await chat()).text).toBe(defaultReplyText);
      expect(f.server.requests).toHaveLength(2);
    });

    it("retries a response slower than the timeout, then succeeds", async () => {
      f.server.enqueue({ delayMs: 1500 });
      expect((await chat()).text).toBe(defaultReplyText);
      expect(f.server.requests).toHaveLength(2);
    });

    it("gives up after the last attempt with a retryable ProviderError", async () => {
      f.server.enqueue({ status: 500 }, { status: 502 }, { status: 503 });
      const error = await failure(chat());
      expect(error.code).toBe("ModelServerError");
      expect(error.retryable).toBe(true);
      expect(f.server.requests).toHaveLength(3);
    });

    it("fails a 401 at once, naming the connection and fix, without the key", async () => {
      f.server.enqueue({ status: 401 });
      const error = await failure(chat());
      expect(f.server.requests).toHaveLength(1);
      expect(error.code).toBe("ModelAuthenticationFailed");
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`401 from ${f.label} for connection '${f.connection}'`);
      expect(error.message).toMatch(/check/);
      expect(error.message).not.toContain(f.secret);
      expect(JSON.stringify(error.toJSON())).not.toContain(f.secret);
    });

    it("fails a 400 at once", async () => {
      f.server.enqueue({ status: 400, message: "max_tokens is too large" });
      const error = await failure(chat());
      expect(f.server.requests).toHaveLength(1);
      expect(error.code).toBe("ModelBadRequest");
      expect(error.retryable).toBe(false);
      expect(error.node).toBe("answer");
      expect(error.message).toContain("max_tokens is too large");
    });
  });
}
