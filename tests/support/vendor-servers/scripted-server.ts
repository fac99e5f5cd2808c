import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The scriptable HTTP base shared by the vendor wire-protocol servers: a queue of replies and faults,
 * consumed one per request, and a log of every request received (method, path, headers, body, arrival
 * time). Each vendor module only routes requests and encodes replies and errors in its own protocol.
 */
export interface ToolCallReply {
  id: string;
  name: string;
  arguments: string;
}

export interface Reply {
  text?: string;
  toolCalls?: ToolCallReply[];
  /** A legacy `functions` API call (OpenAI's message.function_call). */
  functionCall?: { name: string; arguments: string };
  usage?: { prompt: number; completion: number };
  /** Vendor-native finish/stop reason; default derived from the content. */
  finishReason?: string;
  /** Embedding vectors, one per input. */
  embeddings?: number[][];
}

export type ScriptItem =
  | { reply: Reply }
  /** An HTTP error in the vendor's format. */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Headers and half a body, then the socket is destroyed. */
  | { drop: true }
  /** Waits before answering (with `reply`, or the default reply). */
  | { delayMs: number; reply?: Reply };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** Parsed JSON when the body is JSON, else the raw text. */
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface VendorServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  enqueue(...items: ScriptItem[]): void;
  close(): Promise<void>;
}

export const defaultReplyText = "The quick brown fox jumps over the lazy dog.";

export interface VendorProtocol {
  /** Answers a successful request; `stream` tells whether the client asked for streaming. */
  reply(request: RecordedRequest, reply: Reply, res: ServerResponse): void;
  /** Writes an HTTP error the way the vendor does. */
  error(request: RecordedRequest, status: number, message: string, res: ServerResponse): void;
  /** A message for 401s; servers echo the credential they got, as some real ones partly do. */
  authMessage?(request: RecordedRequest): string;
}

export async function startScriptedServer(protocol: VendorProtocol): Promise<VendorServer> {
  const queue: ScriptItem[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(raw),
      at,
    };
    requests.push(request);
    const item: ScriptItem = queue.shift() ?? { reply: {} };
    try {
      if ("drop" in item) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"id":"partial');
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      if ("status" in item) {
        for (const [name, value] of Object.entries(item.headers ?? {})) res.setHeader(name, value);
        const message =
          item.message ??
          (item.status === 401 && protocol.authMessage ? protocol.authMessage(request) : undefined);
        protocol.error(request, item.status, message ?? `scripted ${item.status}`, res);
        return;
      }
      if ("delayMs" in item) {
        await sleep(item.delayMs);
        if (res.socket?.destroyed) return;
      }
      protocol.reply(request, item.reply ?? {}, res);
    } catch (error) {
      res.statusCode = 599;
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...items) => queue.push(...items),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Server-sent events: `events` are `[eventName | undefined, data]`. */
export function sendSse(res: ServerResponse, events: Array<[string | undefined, unknown]>) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const [event, data] of events) {
    res.write(
      `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
    );
  }
  res.end();
}

/** Word-sized pieces whose concatenation is the text. */
export function splitText(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

export function bearerOrKey(request: RecordedRequest, keyHeader: string): string {
  const auth = request.headers["authorization"];
  if (typeof auth === "string") return auth.replace(/^Bearer\s+/i, "");
  const key = request.headers[keyHeader];
  return typeof key === "string" ? key : "";
}

function parseBody(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
