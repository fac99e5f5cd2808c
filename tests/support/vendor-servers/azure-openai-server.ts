import { openAIProtocol } from "./openai-server.js";
import { startScriptedServer, type VendorServer } from "./scripted-server.js";

/**
 * Azure OpenAI: OpenAI's protocol under `/openai/deployments/{deployment}/{chat/completions|completions|
 * embeddings}?api-version=...`, authenticated by the `api-key` header or `Authorization: Bearer`.
 * A request without api-version gets 404, as Azure answers.
 */
export function startAzureOpenAIServer(): Promise<VendorServer> {
  return startScriptedServer(
    openAIProtocol((request) => {
      if (request.method !== "POST" || !request.query.get("api-version")) return undefined;
      const match = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/.exec(
        request.path,
      );
      if (!match) return undefined;
      return match[2] === "chat/completions"
        ? "chat"
        : match[2] === "completions"
          ? "completion"
          : "embedding";
    }),
  );
}
