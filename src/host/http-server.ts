import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AppContext } from "../app/app-context.js";
import { appErrorResponse } from "../app/error-response.js";
import type { HttpFunction, Invocation } from "../app/function-table.js";
import { type AppRequest, type AppResponse, jsonResponse } from "../app/http-types.js";
import { noRoute } from "../app/score-handlers.js";
import { RequestError } from "../serve/index.js";
import { MAX_BODY_BYTES } from "../serve/read-json-body.js";
import { RouteTable } from "./route-table.js";

export interface HostHttpServer {
  readonly server: Server;
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

/**
 * The local host's HTTP side: node:http with keep-alive, routing `/api/...` to the table's HTTP
 * functions as the Functions host does, each request adapted to the app's plain request object.
 * Function keys are not checked locally (neither does Core Tools' `func start`).
 */
export function createHostHttpServer(
  functions: readonly HttpFunction[],
  invocation: Invocation,
  app: AppContext,
): HostHttpServer {
  const routes = new RouteTable(functions);
  const server = createServer({ keepAlive: true, noDelay: true }, (request, response) => {
    handle(request, response).catch((error: unknown) => send(request, response, failure(error)));
  });
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 80_000;
  server.requestTimeout = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = request.url ?? "/";
    const query = raw.indexOf("?");
    const path = query >= 0 ? raw.slice(0, query) : raw;
    const method = request.method ?? "GET";
    const match = routes.match(method === "HEAD" ? "GET" : method, path);
    if (!match) return send(request, response, noRoute(app, method, path));
    if ("methodMismatch" in match) {
      return send(
        request,
        response,
        jsonResponse(405, {
          error: {
            code: "UserError",
            message: `${method} is not allowed on ${path}: use ${match.methodMismatch.join(" or ")}`,
          },
        }),
      );
    }
    const appRequest: AppRequest = {
      method,
      url: `http://${request.headers.host ?? "localhost"}${raw}`,
      header: (name) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(", ") : value;
      },
      params: match.params,
      text: () => readBody(request),
    };
    send(request, response, await match.fn.handler(appRequest, invocation));
  }

  function failure(error: unknown): AppResponse {
    const response = appErrorResponse(error);
    if (response.status >= 500) app.log("error", `http: ${(error as Error).stack ?? String(error)}`);
    return response;
  }

  function send(request: IncomingMessage, response: ServerResponse, result: AppResponse): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (!request.complete) request.resume(); // drain an unread body so the connection stays usable
    const body = result.body;
    if (body === undefined || typeof body === "string") {
      response.writeHead(result.status, {
        ...result.headers,
        "content-length": body === undefined ? 0 : Buffer.byteLength(body),
      });
      response.end(body);
      return;
    }
    response.writeHead(result.status, result.headers);
    void (async () => {
      try {
        for await (const chunk of body) {
          if (response.destroyed) return;
          response.write(chunk);
        }
        response.end();
      } catch (error) {
        app.log("error", `http: stream failed: ${(error as Error).message}`);
        response.destroy();
      }
    })();
  }

  return {
    server,
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          resolve({
            url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`,
            port: address.port,
          });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new RequestError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
}
