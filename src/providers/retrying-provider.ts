import type { ModelCallOptions, ModelStreamChunk } from "../core/model-port.js";
import type { ModelProvider } from "./model-provider.js";
import { type RetryOptions, withRetry } from "./retry-policy.js";

/**
 * Wraps a single-attempt adapter with the shared retry policy. A stream is retried only until its first
 * chunk arrives: once text has been handed on, a failure is reported rather than repeated.
 */
export function withRetries(provider: ModelProvider, retry: RetryOptions = {}): ModelProvider {
  const streamCompletion = provider.streamCompletion?.bind(provider);
  return {
    id: provider.id,
    vendor: provider.vendor,
    chat: (request, options) => withRetry(() => provider.chat(request, options), retry, options?.signal),
    completion: (request, options) =>
      withRetry(() => provider.completion(request, options), retry, options?.signal),
    embedding: (request, options) =>
      withRetry(() => provider.embedding(request, options), retry, options?.signal),
    streamChat: (request, options) =>
      retryStreamStart(() => provider.streamChat(request, options), retry, options),
    ...(streamCompletion
      ? {
          streamCompletion: (request, options) =>
            retryStreamStart(() => streamCompletion(request, options), retry, options),
        }
      : {}),
  };
}

async function* retryStreamStart(
  open: () => AsyncIterable<ModelStreamChunk>,
  retry: RetryOptions,
  options: ModelCallOptions | undefined,
): AsyncGenerator<ModelStreamChunk> {
  const { iterator, first } = await withRetry(
    async () => {
      const iterator = open()[Symbol.asyncIterator]();
      return { iterator, first: await iterator.next() };
    },
    retry,
    options?.signal,
  );
  if (first.done) return;
  yield first.value;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
}
