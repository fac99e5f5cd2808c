import { expect } from "vitest";
import { contractProviderOptions, runProviderContract } from "../../../tests/support/provider-contract.js";
import { startBedrockServer } from "../../../tests/support/vendor-servers/bedrock-server.js";
import { createProvider } from "../create-provider.js";

const accessKeyId = "AKIATESTBEDROCK0001";
const secret = "bedrock-secret-access-key-0123456789";

runProviderContract(
  "Amazon Bedrock (Converse)",
  async () => {
    const server = await startBedrockServer();
    const provider = await createProvider(
      {
        name: "bedrock",
        type: "bedrock",
        region: "us-east-1",
        access_key_id: accessKeyId,
        secret_access_key: secret,
        base_url: server.url,
      },
      contractProviderOptions,
    );
    return { provider, server, secret, connection: "bedrock", label: "Amazon Bedrock" };
  },
  {
    model: "anthropic.claude-3-haiku-20240307-v1:0",
    completion: false,
    embedding: true,
    checkChatRequest(request) {
      expect(decodeURIComponent(request.path)).toBe("/model/anthropic.claude-3-haiku-20240307-v1:0/converse");
      expect(String(request.headers["authorization"])).toContain(`Credential=${accessKeyId}/`);
      expect(request.body).toMatchObject({
        system: [{ text: "You are terse." }],
        messages: [{ role: "user", content: [{ text: "Say hello." }] }],
        inferenceConfig: { temperature: 0.2, maxTokens: 50 },
      });
    },
  },
);
