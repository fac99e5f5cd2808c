import { expect } from "vitest";
import { contractProviderOptions, runProviderContract } from "../../../tests/support/provider-contract.js";
import { startMistralServer } from "../../../tests/support/vendor-servers/mistral-server.js";
import { createProvider } from "../create-provider.js";

const secret = "mistral-test-key-0123456789";

runProviderContract(
  "Mistral",
  async () => {
    const server = await startMistralServer();
    const provider = await createProvider(
      { name: "mistral", type: "mistral", api_key: secret, base_url: server.url },
      contractProviderOptions,
    );
    return { provider, server, secret, connection: "mistral", label: "Mistral" };
  },
  {
    model: "mistral-small-latest",
    completion: false,
    embedding: true,
    checkChatRequest(request) {
      expect(request.path).toBe("/v1/chat/completions");
      expect(request.headers["authorization"]).toBe(`Bearer ${secret}`);
      expect(request.body).toMatchObject({
        model: "mistral-small-latest",
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
