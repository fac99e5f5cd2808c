import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher, Agent as UndiciAgent } from "undici";
import requestOn from "undici/lib/api/api-request.js";
// undici's own modules, not its index: the index also loads fetch, cookies, websockets, the caches and
// mocks, and its cookie module reads globalThis.Headers, which loads Node's bundled copy of undici too
// (~10 ms of every `flow test`). The package has no "exports" map; the version is locked.
import Agent from "undici/lib/dispatcher/agent.js";

/** The `fetch` signature the vendor SDKs accept (`new OpenAI({ fetch })`). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

let sharedAgent: UndiciAgent | undefined;

/**
 * One keep-alive connection pool per process, shared by every provider: no cap on connections per
 * origin (as the built-in fetch), so 500 concurrent calls use 500 sockets instead of queueing.
 */
function defaultAgent(): UndiciAgent {
  sharedAgent ??= new Agent();
  return sharedAgent;
}

/**
 * A `fetch` for the vendor SDKs on undici's `request` API instead of Node's WHATWG `fetch`: same
 * connection pool and parser (undici), without the per-call WHATWG Request/Response/stream machinery,
 * which costs more CPU than the rest of a served flow. The request a model SDK sends (a string or byte
 * body, or none) goes this way; anything else (form data, blobs, streams, `Request` objects) goes to the
 * built-in `fetch`.
 *
 * The response is Response-shaped for the SDKs: `status`, `ok`, `url`, `headers` (the read side of `Headers`),
 * `json()`, `text()`, `arrayBuffer()`, and `body` as a Node readable (async-iterable byte chunks, read
 * as they arrive: server-sent events stream chunk by chunk). Aborting `init.signal` rejects the call
 * before the headers and errors the body after them, with the signal's reason, as fetch does.
 */
export function createUndiciFetch(dispatcher: Dispatcher = defaultAgent()): FetchFunction {
  return async (input, init = {}) => {
    const body = init.body ?? undefined;
    if (typeof input === "object" && !(input instanceof URL)) return fetch(input, init);
    if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)) {
      return fetch(input, init);
    }
    const url = typeof input === "string" ? input : input.href;
    const target = new URL(url);
    const response = await requestOn.call(dispatcher, {
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (init.method ?? "GET").toUpperCase() as Dispatcher.HttpMethod,
      headers: requestHeaders(init.headers),
      body: body ?? null,
      signal: init.signal ?? undefined,
    });
    return new UndiciResponse(url, response) as unknown as Response;
  };
}

type UndiciBody = Dispatcher.ResponseData["body"];

/** The part of `Response` the SDKs read, over undici's response. */
class UndiciResponse {
  readonly status: number;
  readonly statusText = "";
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = "basic";
  readonly headers: ResponseHeaders;
  readonly body: UndiciBody;

  constructor(
    readonly url: string,
    response: Dispatcher.ResponseData,
  ) {
    this.status = response.statusCode;
    this.ok = response.statusCode >= 200 && response.statusCode < 300;
    this.headers = new ResponseHeaders(response.headers);
    this.body = response.body;
  }

  get bodyUsed(): boolean {
    return this.body.bodyUsed;
  }

  json(): Promise<unknown> {
    return this.body.json();
  }

  text(): Promise<string> {
    return this.body.text();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.arrayBuffer();
  }
}

/** Request headers as undici takes them: `Headers` and records as they are, tuples flattened. */
function requestHeaders(headers: RequestInit["headers"]): Dispatcher.RequestOptions["headers"] {
  if (!Array.isArray(headers)) return headers as Dispatcher.RequestOptions["headers"];
  return headers.flat();
}

/**
 * The read side of `Headers` over undici's parsed response headers (names already lower case), built
 * without copying or validating them: the SDKs read two or three headers per response.
 */
class ResponseHeaders {
  readonly #raw: IncomingHttpHeaders;

  constructor(raw: IncomingHttpHeaders) {
    this.#raw = raw;
  }

  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  has(name: string): boolean {
    return this.#raw[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    const value = this.#raw["set-cookie"];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }

  forEach(callback: (value: string, name: string, headers: ResponseHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  entries(): IterableIterator<[string, string]> {
    const entries: [string, string][] = [];
    for (const name in this.#raw) {
      const value = this.get(name);
      if (value !== null) entries.push([name, value]);
    }
    return entries[Symbol.iterator]();
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
