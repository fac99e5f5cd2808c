import { expect } from "vitest";
import { contractProviderOptions, runProviderContract } from "../../../tests/support/provider-contract.js";
import { startOpenAIServer } from "../../../tests/support/vendor-servers/openai-server.js";
import { createProvider } from "../create-provider.js";

const secret = "sk-test-openai-0123456789abcdef";

runProviderContract(
  "OpenAI-compatible (base_url)",
  async () => {
    const server = await startOpenAIServer();
    const provider = await createProvider(
      { name: "local-llm", type: "open_ai", api_key: secret, base_url: `${server.url}/v1` },
      contractProviderOptions,
    );
    return { provider, server, secret, connection: "local-llm", label: "OpenAI-compatible server" };
  },
  {
    model: "gpt-4o-mini",
    completion: true,
    embedding: true,
    checkChatRequest(request) {
      expect(request.path).toBe("/v1/chat/completions");
      expect(request.headers["authorization"]).toBe(`Bearer ${secret}`);
      expect(request.body).toMatchObject({
        model: "gpt-4o-mini",
        temperature: 0.2,
        max_tokens: 50,
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Say hello." },
        ],
      });
    },
  },
);
