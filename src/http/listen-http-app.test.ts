import { connect } from "node:net";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createHttpApp } from "./create-http-app.js";
import type { HttpEnv } from "./http-guards.js";
import { listenHttpApp } from "./listen-http-app.js";

/** One raw HTTP/1.1 exchange, so the Host header is whatever the test says. */
function rawGet(port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.write(`GET /where HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk;
    });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("listenHttpApp", () => {
  it("bounds header and request times (no requestTimeout = 0), checks Host on loopback, gives the base URL", async () => {
    const routes = new Hono<HttpEnv>();
    routes.get("/where", (c) => c.json({ baseUrl: c.env.baseUrl }));
    const served = await listenHttpApp(createHttpApp({ mounts: [{ path: "/", app: routes }] }), {
      port: 0,
      allowedHosts: ["proxy.test"],
    });
    try {
      expect(served.server.requestTimeout).toBeGreaterThan(0);
      expect(served.server.headersTimeout).toBeGreaterThan(0);
      expect(served.server.headersTimeout).toBeLessThanOrEqual(served.server.requestTimeout);
      expect(served.url).toBe(`http://127.0.0.1:${served.port}`);
      const ok = await rawGet(served.port, `localhost:${served.port}`);
      expect(ok).toMatch(/^HTTP\/1\.1 200/);
      expect(ok).toContain(`"baseUrl":"${served.url}"`);
      expect(await rawGet(served.port, "proxy.test")).toMatch(/^HTTP\/1\.1 200/);
      expect(await rawGet(served.port, `rebound.example:${served.port}`)).toMatch(/^HTTP\/1\.1 403/);
    } finally {
      await served.close();
    }
  });
});
