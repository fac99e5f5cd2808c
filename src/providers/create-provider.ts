import type { TokenCredential } from "@azure/identity";
import type { Connection } from "../connections/connection-schema.js";
import { secretValues } from "../connections/mask-connection.js";
import { resolveConnection } from "../connections/resolve-connection.js";
import { UserError } from "../core/errors.js";
import type { ModelProvider } from "./model-provider.js";
import type { FetchFunction } from "./openai/create-undici-fetch.js";
import type { RetryOptions } from "./retry-policy.js";
import { withRetries } from "./retrying-provider.js";

export interface CreateProviderOptions {
  /** The shared retry policy's settings (attempts, base delay...). */
  retry?: RetryOptions;
  /** Per-attempt timeout; default: the SDK's own (10 minutes for OpenAI and Anthropic). */
  timeoutMs?: number;
  /** Azure keyless auth; default `new DefaultAzureCredential()`. */
  credential?: TokenCredential;
  /** Where `${env:VAR}` values come from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * The HTTP client of the OpenAI-shaped adapters (OpenAI, OpenAI-compatible, serverless, Azure OpenAI);
   * default `createUndiciFetch()`. Pass `globalThis.fetch` for Node's WHATWG fetch.
   */
  fetch?: FetchFunction;
}

/**
 * Builds the vendor adapter for a connection, with `${env:VAR}` resolved and the retry policy applied.
 * `open_ai`, `serverless` and `custom` (configs `base_url`/`api_base`, secret `api_key`) connections use
 * the OpenAI adapter; `azure_open_ai` uses it through an `AzureOpenAI` client. A vendor's adapter (and
 * its SDK) is imported when a connection of its type is first used, not at start-up.
 */
export async function createProvider(
  connection: Connection,
  options: CreateProviderOptions = {},
): Promise<ModelProvider> {
  const c = resolveConnection(connection, options.env);
  const timeout = options.timeoutMs ? { timeoutMs: options.timeoutMs } : {};
  const transport = options.fetch ? { fetch: options.fetch } : {};
  const single = await (async (): Promise<ModelProvider> => {
    switch (c.type) {
      case "azure_open_ai": {
        const { createAzureOpenAIProvider } = await import("./azure-openai/azure-openai-provider.js");
        return createAzureOpenAIProvider(c, {
          ...timeout,
          ...(options.credential ? { credential: options.credential } : {}),
          ...transport,
        });
      }
      case "open_ai": {
        const { createOpenAICompatibleProvider } = await import("./openai/openai-compatible-provider.js");
        return createOpenAICompatibleProvider({
          connection: c.name,
          apiKey: c.api_key,
          baseURL: c.base_url || undefined,
          organization: c.organization || undefined,
          label: c.base_url ? "OpenAI-compatible server" : "OpenAI",
          secrets: secretValues(c),
          ...timeout,
          ...transport,
        });
      }
      case "serverless": {
        const { createOpenAICompatibleProvider } = await import("./openai/openai-compatible-provider.js");
        return createOpenAICompatibleProvider({
          connection: c.name,
          apiKey: c.api_key,
          baseURL: withV1(c.api_base),
          label: "Serverless endpoint",
          secrets: secretValues(c),
          ...timeout,
          ...transport,
        });
      }
      case "custom": {
        const baseURL = c.configs["base_url"] ?? c.configs["api_base"];
        if (!baseURL) {
          throw new UserError(
            "ConnectionNotUsableForModels",
            `Custom connection '${c.name}' cannot be used by an llm node: add configs.base_url (an OpenAI-compatible endpoint) and secrets.api_key, or use an open_ai / azure_open_ai connection.`,
          );
        }
        const { createOpenAICompatibleProvider } = await import("./openai/openai-compatible-provider.js");
        return createOpenAICompatibleProvider({
          connection: c.name,
          apiKey: c.secrets["api_key"] ?? "",
          baseURL,
          label: "OpenAI-compatible server",
          secrets: secretValues(c),
          ...timeout,
          ...transport,
        });
      }
      case "anthropic": {
        const { createAnthropicProvider } = await import("./anthropic/anthropic-provider.js");
        return createAnthropicProvider(c, timeout);
      }
      case "mistral": {
        const { createMistralProvider } = await import("./mistral/mistral-provider.js");
        return createMistralProvider(c, timeout);
      }
      case "bedrock": {
        const { createBedrockProvider } = await import("./bedrock/bedrock-provider.js");
        return createBedrockProvider(c, timeout);
      }
      case "serp":
      case "cognitive_search":
      case "azure_content_safety":
        throw new UserError(
          "ConnectionNotUsableForModels",
          `Connection '${c.name}' has type '${c.type}', which cannot reach a model: llm nodes need an azure_open_ai, open_ai, serverless, anthropic, mistral, bedrock or custom (base_url) connection; '${c.type}' connections are for the python tools that take them.`,
        );
    }
  })();
  return withRetries(single, options.retry);
}

/** Serverless (Azure AI models-as-a-service) endpoints serve the OpenAI API under `/v1`. */
function withV1(apiBase: string): string {
  const trimmed = apiBase.replace(/\/+$/, "");
  return trimmed.endsWith("/v1") ? trimmed : `${trimmed}/v1`;
}
