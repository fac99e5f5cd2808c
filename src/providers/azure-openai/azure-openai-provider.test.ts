import type { AccessToken, TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { contractProviderOptions, runProviderContract } from "../../../tests/support/provider-contract.js";
import { startAzureOpenAIServer } from "../../../tests/support/vendor-servers/azure-openai-server.js";
import { createProvider } from "../create-provider.js";
import { cognitiveServicesScope } from "./azure-openai-provider.js";

const secret = "aoai-test-key-0123456789abcdef";

runProviderContract(
  "Azure OpenAI (api_key)",
  async () => {
    const server = await startAzureOpenAIServer();
    const provider = await createProvider(
      {
        name: "aoai",
        type: "azure_open_ai",
        api_key: secret,
        api_base: server.url,
        api_type: "azure",
        api_version: "2024-10-21",
        auth_mode: "key",
      },
      contractProviderOptions,
    );
    return { provider, server, secret, connection: "aoai", label: "Azure OpenAI" };
  },
  {
    model: "gpt-4o-deployment",
    completion: true,
    embedding: true,
    checkChatRequest(request) {
      expect(request.path).toBe("/openai/deployments/gpt-4o-deployment/chat/completions");
      expect(request.query.get("api-version")).toBe("2024-10-21");
      expect(request.headers["api-key"]).toBe(secret);
      expect(request.headers["authorization"]).toBeUndefined();
      expect(request.body).toMatchObject({ temperature: 0.2, max_tokens: 50 });
    },
  },
);

describe("Azure OpenAI keyless (Microsoft Entra ID)", () => {
  it("sends a bearer token from the credential when the connection has no api_key", async () => {
    // @azure/identity's DefaultAzureCredential cannot get a real token offline, so the test injects a
    // TokenCredential; the adapter wraps it with getBearerTokenProvider exactly as it wraps the default one.
    const scopes: string[][] = [];
    const credential: TokenCredential = {
      async getToken(scope): Promise<AccessToken> {
        scopes.push([scope].flat());
        return { token: "entra-token-123", expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const server = await startAzureOpenAIServer();
    try {
      for (const auth of [{}, { api_key: "ignored-key", auth_mode: "meid_token" as const }]) {
        const provider = await createProvider(
          {
            name: "aoai-keyless",
            type: "azure_open_ai",
            api_base: server.url,
            api_type: "azure",
            api_version: "2024-10-21",
            auth_mode: "key",
            ...auth,
          },
          { ...contractProviderOptions, credential },
        );
        const response = await provider.chat({
          api: "chat",
          connection: "aoai-keyless",
          model: "gpt-4o",
          messages: [{ role: "user", content: "hi" }],
          parameters: {},
        });
        expect(response.text).toBeTruthy();
        const request = server.requests.at(-1)!;
        expect(request.headers["authorization"]).toBe("Bearer entra-token-123");
        expect(request.headers["api-key"]).toBeUndefined();
      }
      expect(scopes[0]).toEqual([cognitiveServicesScope]);
    } finally {
      await server.close();
    }
  });

  it("names the role to grant when keyless auth gets a 401", async () => {
    const credential: TokenCredential = {
      getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 60_000 }),
    };
    const server = await startAzureOpenAIServer();
    try {
      server.enqueue({ status: 401 });
      const provider = await createProvider(
        {
          name: "aoai",
          type: "azure_open_ai",
          api_base: server.url,
          api_type: "azure",
          api_version: "2024-10-21",
          auth_mode: "meid_token",
        },
        { ...contractProviderOptions, credential },
      );
      const request = { api: "chat" as const, connection: "aoai", model: "d", messages: [], parameters: {} };
      await expect(provider.chat(request)).rejects.toThrow(
        /401 from Azure OpenAI for connection 'aoai'.*Cognitive Services OpenAI User/,
      );
    } finally {
      await server.close();
    }
  });
});
