import { RateLimiter } from "limiter";
import type {
  ChatRequest,
  CompletionRequest,
  ModelCallOptions,
  ModelPort,
  ModelRequest,
  ModelResponse,
  ModelStreamChunk,
} from "../core/model-port.js";

/** Requests and tokens per minute allowed on one connection (the connection's or `--set` `rpm`/`tpm`). */
export interface ConnectionLimits {
  rpm?: number;
  tpm?: number;
}

export interface RateLimitOptions {
  /** Length of the window the limits are per; default one minute (tests shorten it). */
  intervalMs?: number;
}

/**
 * Wraps a model port so each connection stays within its `rpm` and `tpm`. Calls wait (in order) for
 * their turn. Tokens are charged before a call from an estimate (prompt characters / 4 plus
 * `max_tokens`), and the part of the real usage above the estimate is charged after it, so the
 * next callers wait for it. Connections without limits pass straight through.
 */
export function limitModelPort(
  models: ModelPort,
  limits: Record<string, ConnectionLimits>,
  options: RateLimitOptions = {},
): ModelPort {
  const interval = options.intervalMs ?? 60_000;
  const limiters = new Map<string, { requests?: RateLimiter; tokens?: RateLimiter; tpm?: number }>();
  for (const [connection, limit] of Object.entries(limits)) {
    limiters.set(connection, {
      ...(limit.rpm ? { requests: new RateLimiter({ tokensPerInterval: limit.rpm, interval }) } : {}),
      ...(limit.tpm
        ? { tokens: new RateLimiter({ tokensPerInterval: limit.tpm, interval }), tpm: limit.tpm }
        : {}),
    });
  }

  const acquire = async (request: ModelRequest, signal?: AbortSignal): Promise<number> => {
    const limiter = limiters.get(request.connection);
    if (!limiter) return 0;
    if (limiter.requests) await untilAborted(limiter.requests.removeTokens(1), signal);
    if (!limiter.tokens || !limiter.tpm) return 0;
    const estimate = Math.max(1, Math.min(estimateTokens(request), limiter.tpm));
    await untilAborted(limiter.tokens.removeTokens(estimate), signal);
    return estimate;
  };
  const settle = (request: ModelRequest, charged: number, used: number | undefined): void => {
    const limiter = limiters.get(request.connection);
    if (!limiter?.tokens || !limiter.tpm || used === undefined || used <= charged) return;
    void limiter.tokens.removeTokens(Math.min(used - charged, limiter.tpm));
  };

  return {
    async invoke(request: ModelRequest, callOptions?: ModelCallOptions): Promise<ModelResponse> {
      const charged = await acquire(request, callOptions?.signal);
      const response = await models.invoke(request, callOptions);
      settle(request, charged, response.usage?.total_tokens);
      return response;
    },
    async *stream(
      request: ChatRequest | CompletionRequest,
      callOptions?: ModelCallOptions,
    ): AsyncIterable<ModelStreamChunk> {
      const charged = await acquire(request, callOptions?.signal);
      let used: number | undefined;
      for await (const chunk of models.stream(request, callOptions)) {
        if (chunk.usage) used = chunk.usage.total_tokens;
        yield chunk;
      }
      settle(request, charged, used);
    },
  };
}

/** A rough token count: characters / 4 of everything sent, plus the completion budget. */
export function estimateTokens(request: ModelRequest): number {
  const text =
    request.api === "chat"
      ? JSON.stringify(request.messages.map((m) => m.content))
      : request.api === "completion"
        ? request.prompt
        : JSON.stringify(request.input);
  return (
    Math.ceil(text.length / 4) + (request.api === "embedding" ? 0 : (request.parameters.max_tokens ?? 0))
  );
}

function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
