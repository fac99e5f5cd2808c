import Anthropic from "@anthropic-ai/sdk";
import type { AnthropicConnection } from "../../connections/connection-schema.js";
import { secretValues } from "../../connections/mask-connection.js";
import type { ModelCallOptions } from "../../core/model-port.js";
import { callContext } from "../call-context.js";
import { guardCall, guardStream } from "../guard-call.js";
import { type ModelProvider, UnsupportedOperationError } from "../model-provider.js";
import type { VendorContext } from "../to-provider-error.js";
import { createAnthropicChunkMapper, fromAnthropicMessage, toAnthropicParams } from "./anthropic-mapping.js";

export interface AnthropicProviderOptions {
  timeoutMs?: number;
}

/** Anthropic's Messages API. Chat and streaming chat only (no completion or embedding API). */
export function createAnthropicProvider(
  connection: AnthropicConnection,
  options: AnthropicProviderOptions = {},
): ModelProvider {
  const client = new Anthropic({
    apiKey: connection.api_key,
    ...(connection.base_url ? { baseURL: connection.base_url } : {}),
    maxRetries: 0,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
  const vendor: VendorContext = {
    vendor: "anthropic",
    label: "Anthropic",
    connection: connection.name,
    authHint: "check the connection's api_key",
    notFoundHint: "check the model name and that your account can use it",
    secrets: secretValues(connection),
  };
  const req = (o?: ModelCallOptions) => (o?.signal ? { signal: o.signal } : {});
  return {
    id: `anthropic:${connection.name}`,
    vendor: "anthropic",
    chat: (request, o) =>
      guardCall(vendor, callContext(request, options.timeoutMs, o), async () =>
        fromAnthropicMessage(await client.messages.create(toAnthropicParams(request), req(o))),
      ),
    streamChat: (request, o) =>
      guardStream(
        vendor,
        callContext(request, options.timeoutMs, o),
        () => client.messages.create({ ...toAnthropicParams(request), stream: true }, req(o)),
        createAnthropicChunkMapper(),
      ),
    completion: async (request) => {
      throw new UnsupportedOperationError("Anthropic", "completion", connection.name, request.node);
    },
    embedding: async (request) => {
      throw new UnsupportedOperationError("Anthropic", "embedding", connection.name, request.node);
    },
  };
}
