import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import type { HttpBindings, HttpEnv } from "./http-guards.js";

export interface ListenOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Extra Host header values accepted when bound to loopback (`myhost:8080`; FLOWOPS_ALLOWED_HOSTS);
   * `*` turns the check off.
   */
  allowedHosts?: readonly string[];
  /** Where callers reach the server, for URLs in answers (FLOWOPS_BASE_URL); default the bound address. */
  baseUrl?: string;
}

export interface HttpServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** The address actually bound. */
  readonly host: string;
  close(): Promise<void>;
}

/** How long a keep-alive connection may stay idle (longer than load balancers' 60 s). */
const KEEP_ALIVE_MS = 75_000;
/** Time allowed to receive a request's headers, then its whole body: slow senders cannot hold sockets. */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 120_000;
/** How long close() waits for answers in progress before cutting their connections. */
const CLOSE_GRACE_MS = 5_000;

/**
 * Serves the HTTP app on node:http through @hono/node-server (keep-alive, Nagle off, bounded header and
 * body times). When bound to loopback, only loopback Host values (and `allowedHosts`) are answered: a
 * web page cannot reach the server through DNS rebinding. Resolves once listening.
 */
export async function listenHttpApp(app: Hono<HttpEnv>, options: ListenOptions): Promise<HttpServer> {
  const bindings: HttpBindings = {};
  const listener = getRequestListener((request, nodeEnv) =>
    app.fetch(request, { ...(nodeEnv as object), ...bindings }),
  );
  const server = createServer({ keepAlive: true, noDelay: true }, listener);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const reachable = address.address === "0.0.0.0" ? "127.0.0.1" : address.address === "::" ? "[::1]" : shown;
  const url = `http://${reachable}:${address.port}`;
  bindings.baseUrl = options.baseUrl?.replace(/\/+$/, "") || url;
  const extra = (options.allowedHosts ?? []).map((host) => host.trim().toLowerCase()).filter(Boolean);
  if (isLoopback(address.address) && !extra.includes("*")) {
    bindings.hostAllowed = loopbackHostCheck(address.port, extra);
  }
  return {
    server,
    url,
    port: address.port,
    host: address.address,
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        // Streams still open after a grace period are cut.
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      });
    },
  };
}

/** Whether an address is a loopback one (127.0.0.0/8, ::1). */
export function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1" || address === "::ffff:127.0.0.1";
}

/**
 * The Host check of a loopback-bound server: `localhost`, `127.x.x.x` or `[::1]` with the port (or no
 * port when it is 80), plus the extra names given (compared whole, lower case).
 */
export function loopbackHostCheck(port: number, extra: readonly string[] = []): (host: string) => boolean {
  const allowed = new Set(extra);
  const suffix = `:${port}`;
  return (host) => {
    if (allowed.has(host)) return true;
    let name = host;
    if (host.endsWith(suffix)) name = host.slice(0, -suffix.length);
    else if (port !== 80) return false;
    return name === "localhost" || name === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
  };
}
