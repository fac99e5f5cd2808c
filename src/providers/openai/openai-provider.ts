import type OpenAI from "openai";
import type { ModelCallOptions } from "../../core/model-port.js";
import { guardCall, guardStream } from "../guard-call.js";
import type { ModelProvider, ProviderVendor } from "../model-provider.js";
import type { VendorContext } from "../to-provider-error.js";
import {
  fromOpenAIChat,
  fromOpenAIChatChunk,
  fromOpenAICompletion,
  fromOpenAICompletionChunk,
  fromOpenAIEmbedding,
  toOpenAIChatParams,
  toOpenAICompletionParams,
  toOpenAIEmbeddingParams,
} from "./openai-mapping.js";

export interface OpenAIProviderConfig {
  /** An `OpenAI` client, or an `AzureOpenAI` one (it extends `OpenAI`): the mapping is the same. */
  client: OpenAI;
  vendor: VendorContext & { vendor: ProviderVendor };
  timeoutMs?: number;
}

/** The adapter for OpenAI's API shape, shared by OpenAI, OpenAI-compatible servers and Azure OpenAI. */
export function createOpenAIProvider({ client, vendor, timeoutMs }: OpenAIProviderConfig): ModelProvider & {
  streamCompletion: NonNullable<ModelProvider["streamCompletion"]>;
} {
  const ctx = (node: string | undefined, model: string, options?: ModelCallOptions) => ({
    node,
    model,
    timeoutMs,
    signal: options?.signal,
  });
  const req = (options?: ModelCallOptions) => (options?.signal ? { signal: options.signal } : {});
  return {
    id: `${vendor.vendor}:${vendor.connection}`,
    vendor: vendor.vendor,
    chat: (request, options) =>
      guardCall(vendor, ctx(request.node, request.model, options), async () =>
        fromOpenAIChat(await client.chat.completions.create(toOpenAIChatParams(request), req(options))),
      ),
    streamChat: (request, options) =>
      guardStream(
        vendor,
        ctx(request.node, request.model, options),
        () =>
          client.chat.completions.create(
            { ...toOpenAIChatParams(request), stream: true, stream_options: { include_usage: true } },
            req(options),
          ),
        fromOpenAIChatChunk,
      ),
    completion: (request, options) =>
      guardCall(vendor, ctx(request.node, request.model, options), async () =>
        fromOpenAICompletion(
          await client.completions.create(toOpenAICompletionParams(request), req(options)),
        ),
      ),
    streamCompletion: (request, options) =>
      guardStream(
        vendor,
        ctx(request.node, request.model, options),
        () =>
          client.completions.create(
            { ...toOpenAICompletionParams(request), stream: true, stream_options: { include_usage: true } },
            req(options),
          ),
        fromOpenAICompletionChunk,
      ),
    embedding: (request, options) =>
      guardCall(vendor, ctx(request.node, request.model, options), async () =>
        fromOpenAIEmbedding(
          await client.embeddings.create(toOpenAIEmbeddingParams(request), req(options)),
          request.input,
        ),
      ),
  };
}
