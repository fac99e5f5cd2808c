import { setTimeout as sleep } from "node:timers/promises";
import pRetry from "p-retry";
import { FlowopsError } from "../core/errors.js";
import { ProviderError } from "./provider-error.js";

/** One retry policy for every vendor (the SDKs' own retries are switched off). */
export interface RetryOptions {
  /** Attempts in total, the first included. Default 4. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time, with jitter (×1–2). Default 500 ms. */
  baseDelayMs?: number;
  /** Cap on the backoff delay. Default 20 s. */
  maxDelayMs?: number;
  /** A server asking to wait longer than this is not retried. Default 60 s. */
  maxRetryAfterMs?: number;
}

export const defaultRetryOptions: Required<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Runs `operation` until it succeeds, it throws an error that is not `retryable`, or attempts run out.
 * Retryable: 429, 5xx, timeouts and connection failures (as ProviderError marks them). When the server
 * sent `retry-after-ms`/`retry-after`, the next attempt waits at least that long (backoff included).
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  signal?: AbortSignal,
): Promise<T> {
  const o = { ...defaultRetryOptions, ...definedOnly(options) };
  const factor = 2;
  const retryable = (error: unknown) =>
    error instanceof FlowopsError &&
    error.retryable &&
    !(error instanceof ProviderError && (error.retryAfterMs ?? 0) > o.maxRetryAfterMs);
  return pRetry(operation, {
    retries: Math.max(0, o.maxAttempts - 1),
    minTimeout: o.baseDelayMs,
    maxTimeout: o.maxDelayMs,
    factor,
    randomize: true,
    ...(signal ? { signal } : {}),
    shouldRetry: ({ error }) => retryable(error),
    onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
      if (retriesLeft <= 0 || !retryable(error) || !(error instanceof ProviderError)) return;
      if (error.retryAfterMs === undefined) return;
      // p-retry waits at least this backoff afterwards; top it up to what the server asked for.
      const minBackoff = Math.min(o.baseDelayMs * factor ** retriesConsumed, o.maxDelayMs);
      const extra = error.retryAfterMs - minBackoff;
      if (extra > 0) await sleep(extra, undefined, signal ? { signal } : undefined);
    },
  });
}

function definedOnly(options: RetryOptions): RetryOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as RetryOptions;
}
