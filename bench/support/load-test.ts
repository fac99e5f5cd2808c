/** One autocannon load test: keep-alive clients POSTing the same JSON body for a fixed time. */
import autocannon from "autocannon";

export interface LoadResult {
  /** Successful (2xx) responses per second over the whole run. */
  rps: number;
  /** autocannon's mean of its per-second request counts (any status). */
  averageRps: number;
  /** Responses of any status. */
  requests: number;
  /** 2xx responses. */
  ok: number;
  /** Errors, timeouts and non-2xx responses. */
  failed: number;
  p50: number;
  p99: number;
}

export async function loadTest(
  url: string,
  body: unknown,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
  });
  return {
    rps: result["2xx"] / result.duration,
    averageRps: result.requests.average,
    requests: result.requests.total,
    ok: result["2xx"],
    failed: result.errors + result.timeouts + result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
