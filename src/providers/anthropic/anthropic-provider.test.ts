import { describe, expect, it } from "vitest";
import { contractProviderOptions, runProviderContract } from "../../../tests/support/provider-contract.js";
import { startAnthropicServer } from "../../../tests/support/vendor-servers/anthropic-server.js";
import { createProvider } from "../create-provider.js";
import { defaultAnthropicMaxTokens } from "./anthropic-mapping.js";

const secret = "sk-ant-test-0123456789abcdef";
const connection = { name: "claude", type: "anthropic" as const, api_key: secret };

runProviderContract(
  "Anthropic",
  async () => {
    const server = await startAnthropicServer();
    const provider = await createProvider({ ...connection, base_url: server.url }, contractProviderOptions);
    return { provider, server, secret, connection: "claude", label: "Anthropic" };
  },
  {
    model: "claude-contract-test",
    completion: false,
    embedding: false,
    checkChatRequest(request) {
      expect(request.path).toBe("/v1/messages");
      // SDK 1.x sends the key as a bearer token; older ones used x-api-key. Either is Anthropic's protocol.
      expect([request.headers["x-api-key"], request.headers["authorization"]]).toContain(
        request.headers["x-api-key"] ? secret : `Bearer ${secret}`,
      );
      expect(request.headers["anthropic-version"]).toBeTruthy();
      expect(request.body).toMatchObject({
        model: "claude-contract-test",
        system: "You are terse.",
        messages: [{ role: "user", content: [{ type: "text", text: "Say hello." }] }],
        temperature: 0.2,
        max_tokens: 50,
      });
    },
  },
);

describe("Anthropic request mapping", () => {
  it("defaults max_tokens, maps stop and tool_choice, and sends tool results as user tool_result blocks", async () => {
    const server = await startAnthropicServer();
    try {
      const provider = await createProvider({ ...connection, base_url: server.url }, contractProviderOptions);
      await provider.chat({
        api: "chat",
        connection: "claude",
        model: "claude-haiku-4-5",
        messages: [
          { role: "user", content: "Weather?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "toolu_1", type: "function", function: { name: "w", arguments: '{"city":"Oslo"}' } },
            ],
          },
          { role: "tool", tool_call_id: "toolu_1", content: "-3C" },
        ],
        parameters: {
          stop: ["END"],
          tool_choice: "required",
          tools: [{ type: "function", function: { name: "w" } }],
        },
      });
      const body = server.requests[0]!.body as Record<string, unknown>;
      expect(body["max_tokens"]).toBe(defaultAnthropicMaxTokens);
      expect(body["stop_sequences"]).toEqual(["END"]);
      expect(body["tool_choice"]).toEqual({ type: "any" });
      expect(body["tools"]).toEqual([{ name: "w", input_schema: { type: "object", properties: {} } }]);
      expect(body["messages"]).toEqual([
        { role: "user", content: [{ type: "text", text: "Weather?" }] },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_1", name: "w", input: { city: "Oslo" } }],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "-3C" }] },
      ]);
    } finally {
      await server.close();
    }
  });
});
