import OpenAI from "openai";
import type { ModelProvider } from "../model-provider.js";
import { createUndiciFetch, type FetchFunction } from "./create-undici-fetch.js";
import { createOpenAIProvider } from "./openai-provider.js";

export interface OpenAICompatibleSettings {
  connection: string;
  apiKey: string;
  /** Default `https://api.openai.com/v1`; Ollama/vLLM/LM Studio: e.g. `http://localhost:11434/v1`. */
  baseURL?: string | undefined;
  organization?: string | undefined;
  /** Human name for messages; default "OpenAI". */
  label?: string;
  secrets: string[];
  timeoutMs?: number | undefined;
  /** The SDK's HTTP client; default `createUndiciFetch()` (undici's request API, shared pool). */
  fetch?: FetchFunction | undefined;
}

/** OpenAI itself and any server speaking its API (`open_ai`, `serverless` and `custom` connections). */
export function createOpenAICompatibleProvider(settings: OpenAICompatibleSettings): ModelProvider {
  const client = new OpenAI({
    // Local servers (Ollama...) accept any key; the SDK insists on one.
    apiKey: settings.apiKey || "not-needed",
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.organization ? { organization: settings.organization } : {}),
    maxRetries: 0,
    fetch: settings.fetch ?? createUndiciFetch(),
    ...(settings.timeoutMs ? { timeout: settings.timeoutMs } : {}),
  });
  return createOpenAIProvider({
    client,
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    vendor: {
      vendor: "openai",
      label: settings.label ?? "OpenAI",
      connection: settings.connection,
      authHint: "check the connection's api_key",
      notFoundHint: `check the model name${settings.baseURL ? ` is served by ${settings.baseURL}` : ""}`,
      secrets: settings.secrets,
    },
  });
}
