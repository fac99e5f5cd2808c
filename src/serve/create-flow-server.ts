import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FlowFunction } from "../flow-function.js";
import { buildSwagger } from "./build-swagger.js";
import { RequestError, toErrorResponse } from "./error-response.js";
import { readJsonBody } from "./read-json-body.js";

export interface FlowServerOptions {
  /** The flow, loaded once (`loadFlow`): requests never reload it. */
  flow: FlowFunction;
  /** Reported by /health and /swagger.json. */
  version?: string;
  /** Called with errors that are the server's fault (500), for the server log. */
  onError?: (error: unknown, request: { method?: string; url?: string }) => void;
}

export interface FlowServer {
  readonly server: Server;
  /** Listens (port 0 picks a free port) and resolves with the address actually bound. */
  listen(port: number, host?: string): Promise<{ url: string; port: number; host: string }>;
  close(): Promise<void>;
}

/**
 * The HTTP face of a flow, as promptflow's serving app: `POST /score` (JSON inputs → JSON outputs, or
 * server-sent deltas when the client accepts `text/event-stream`), `GET /health`, `GET /swagger.json`.
 */
export function createFlowServer(options: FlowServerOptions): FlowServer {
  const { flow } = options;
  const version = options.version ?? "0.0.0";
  const swagger = JSON.stringify(buildSwagger(flow.definition, version));
  const health = JSON.stringify({ status: "Healthy", version });

  const server = createServer({ keepAlive: true, noDelay: true }, (request, response) => {
    handle(request, response).catch((error: unknown) => fail(response, error, request));
  });
  // Long-lived keep-alive connections from load balancers and benchmark clients.
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 80_000;
  server.requestTimeout = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.url ?? "/";
    const query = target.indexOf("?");
    const url = query === -1 ? target : target.slice(0, query);
    if (url === "/score") {
      if (request.method !== "POST")
        throw new RequestError(405, "use POST /score with the flow's inputs as JSON");
      return score(request, response);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      throw new RequestError(405, `${request.method} is not allowed on ${url}`);
    }
    if (url === "/health") return sendJson(response, 200, health);
    if (url === "/swagger.json") return sendJson(response, 200, swagger);
    throw new RequestError(404, `no route ${url}: use POST /score, GET /health or GET /swagger.json`);
  }

  async function score(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const wantsStream = negotiate(request.headers.accept);
    const inputs = await readJsonBody(request);
    const aborter = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) aborter.abort(new Error("the client closed the connection"));
    });
    if (!wantsStream) {
      const outputs = await flow(inputs, { signal: aborter.signal });
      return sendJson(response, 200, JSON.stringify(outputs));
    }
    const events = flow.stream(inputs, { signal: aborter.signal })[Symbol.asyncIterator]();
    // The first event decides the status: bad inputs still get a plain 400 before any byte is streamed.
    let next = await events.next();
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    });
    try {
      while (!next.done) {
        response.write(`data: ${JSON.stringify(next.value)}\n\n`);
        next = await events.next();
      }
    } catch (error) {
      if (clientGone(response)) return;
      const { body } = toErrorResponse(error);
      report(error, request);
      response.write(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
    }
    response.end();
  }

  function fail(response: ServerResponse, error: unknown, request: IncomingMessage): void {
    const { status, body } = toErrorResponse(error);
    // A run canceled because its client went away is nobody's error and has nobody to answer.
    if (clientGone(response)) return;
    if (status >= 500) report(error, request);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // Drain what is left of the body so that the connection stays usable (keep-alive).
    request.resume();
    sendJson(response, status, JSON.stringify(body));
  }

  function report(error: unknown, request: IncomingMessage): void {
    options.onError?.(error, { method: request.method, url: request.url });
  }

  return {
    server,
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shown}:${address.port}`, port: address.port, host: address.address });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
    },
  };
}

/**
 * promptflow's content negotiation: `text/event-stream` named in Accept streams; JSON or any type (or
 * no Accept at all) gets JSON; anything else is 406.
 */
export function negotiate(accept: string | undefined): boolean {
  if (!accept || accept.trim() === "") return false;
  const types = accept.split(",").map((part) => part.split(";")[0]!.trim().toLowerCase());
  if (types.includes("text/event-stream")) return true;
  if (types.some((type) => type === "application/json" || type === "*/*" || type === "application/*"))
    return false;
  throw new RequestError(
    406,
    `media type '${accept}' in Accept is not acceptable: use application/json or text/event-stream`,
  );
}

function clientGone(response: ServerResponse): boolean {
  return response.destroyed || !response.socket || response.socket.destroyed;
}

function sendJson(response: ServerResponse, status: number, body: string): void {
  // A flat [name, value, ...] list: the cheapest header form for Node to write.
  response.writeHead(status, [
    "content-type",
    "application/json; charset=utf-8",
    "content-length",
    String(Buffer.byteLength(body)),
  ]);
  response.end(body);
}
