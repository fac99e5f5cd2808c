/**
 * The HTTP shapes the app's handlers are written against: plain objects that both the Azure Functions
 * adapter (`functions/`) and the local host (`src/host/`) build cheaply from their own request types.
 */
export interface AppRequest {
  method: string;
  /** The full URL (scheme and host included). */
  url: string;
  /** Header lookup, case-insensitive (`Headers.get` semantics). */
  header(name: string): string | undefined;
  /** Route parameters (`{flow}`, `{name}`). */
  params: Readonly<Record<string, string>>;
  /** The body as text (read once). */
  text(): Promise<string>;
}

export interface AppResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string body, or a stream of text chunks (server-sent events). */
  body?: string | AsyncIterable<string>;
}

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): AppResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(value),
  };
}

/** A JSON response whose body was serialised once ahead of time (swagger, static answers). */
export function rawJsonResponse(status: number, body: string): AppResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8" }, body };
}
