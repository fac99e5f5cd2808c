import { Mistral } from "@mistralai/mistralai";
import type { MistralConnection } from "../../connections/connection-schema.js";
import { secretValues } from "../../connections/mask-connection.js";
import type { ModelCallOptions } from "../../core/model-port.js";
import { callContext } from "../call-context.js";
import { guardCall, guardStream } from "../guard-call.js";
import { type ModelProvider, UnsupportedOperationError } from "../model-provider.js";
import type { VendorContext } from "../to-provider-error.js";
import {
  fromMistralChat,
  fromMistralChunk,
  fromMistralEmbedding,
  toMistralChatRequest,
  toMistralEmbeddingRequest,
} from "./mistral-mapping.js";

export interface MistralProviderOptions {
  timeoutMs?: number;
}

/** Mistral's API: chat, streaming chat and embeddings (no plain completion API; FIM is code-only). */
export function createMistralProvider(
  connection: MistralConnection,
  options: MistralProviderOptions = {},
): ModelProvider {
  const client = new Mistral({
    apiKey: connection.api_key,
    ...(connection.base_url ? { serverURL: connection.base_url } : {}),
    retryConfig: { strategy: "none" },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const vendor: VendorContext = {
    vendor: "mistral",
    label: "Mistral",
    connection: connection.name,
    authHint: "check the connection's api_key",
    notFoundHint: "check the model name (e.g. 'mistral-large-latest')",
    secrets: secretValues(connection),
  };
  const req = (o?: ModelCallOptions) => (o?.signal ? { signal: o.signal } : {});
  return {
    id: `mistral:${connection.name}`,
    vendor: "mistral",
    chat: (request, o) =>
      guardCall(vendor, callContext(request, options.timeoutMs, o), async () =>
        fromMistralChat(await client.chat.complete(toMistralChatRequest(request), req(o))),
      ),
    streamChat: (request, o) =>
      guardStream(
        vendor,
        callContext(request, options.timeoutMs, o),
        () => client.chat.stream({ ...toMistralChatRequest(request), stream: true }, req(o)),
        fromMistralChunk,
      ),
    completion: async (request) => {
      throw new UnsupportedOperationError("Mistral", "completion", connection.name, request.node);
    },
    embedding: (request, o) =>
      guardCall(vendor, callContext(request, options.timeoutMs, o), async () =>
        fromMistralEmbedding(
          await client.embeddings.create(toMistralEmbeddingRequest(request), req(o)),
          request.input,
        ),
      ),
  };
}
