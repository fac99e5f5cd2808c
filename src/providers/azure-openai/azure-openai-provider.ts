import type { TokenCredential } from "@azure/identity";
import { DefaultAzureCredential, getBearerTokenProvider } from "@azure/identity";
import { AzureOpenAI } from "openai";
import type { AzureOpenAIConnection } from "../../connections/connection-schema.js";
import { secretValues } from "../../connections/mask-connection.js";
import type { ModelProvider } from "../model-provider.js";
import { createUndiciFetch, type FetchFunction } from "../openai/create-undici-fetch.js";
import { createOpenAIProvider } from "../openai/openai-provider.js";

/** The scope Azure OpenAI accepts Microsoft Entra ID tokens for. */
export const cognitiveServicesScope = "https://cognitiveservices.azure.com/.default";

export interface AzureOpenAIProviderOptions {
  timeoutMs?: number;
  /** Used for keyless auth; default `new DefaultAzureCredential()`. */
  credential?: TokenCredential;
  /** The SDK's HTTP client; default `createUndiciFetch()` (undici's request API, shared pool). */
  fetch?: FetchFunction;
}

/**
 * Azure OpenAI is the OpenAI adapter configured with an `AzureOpenAI` client: deployment URLs
 * (`/openai/deployments/{model}/...?api-version=`), and either the `api-key` header or, with no key or
 * `auth_mode: meid_token`, an Entra ID bearer token from `credential`.
 * `connection` must already be resolved (no `${env:...}` left).
 */
export function createAzureOpenAIProvider(
  connection: AzureOpenAIConnection,
  options: AzureOpenAIProviderOptions = {},
): ModelProvider {
  const keyless = connection.auth_mode === "meid_token" || !connection.api_key;
  const auth = keyless
    ? {
        azureADTokenProvider: getBearerTokenProvider(
          options.credential ?? new DefaultAzureCredential(),
          cognitiveServicesScope,
        ),
      }
    : { apiKey: connection.api_key };
  const client = new AzureOpenAI({
    ...auth,
    endpoint: connection.api_base,
    apiVersion: connection.api_version,
    maxRetries: 0,
    fetch: options.fetch ?? createUndiciFetch(),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
  return createOpenAIProvider({
    client,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    vendor: {
      vendor: "azure-openai",
      label: "Azure OpenAI",
      connection: connection.name,
      authHint: keyless
        ? "check that the identity has the role 'Cognitive Services OpenAI User' on the resource (keyless auth)"
        : "check the api_key, or the identity's role 'Cognitive Services OpenAI User' for keyless auth",
      notFoundHint: `check that the deployment_name is a deployment of ${connection.api_base} and that api_version '${connection.api_version}' exists`,
      secrets: secretValues(connection),
    },
  });
}
