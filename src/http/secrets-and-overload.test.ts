import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { NodeExecutionError } from "../core/errors.js";
import { PythonQueueFullError } from "../runtimes/python/python-errors.js";
import { registerSecret } from "../secrets/index.js";
import { createHttpApp } from "./create-http-app.js";
import type { HttpEnv } from "./http-guards.js";

describe("the HTTP app's error answers and logs", () => {
  it("answers 503 with Retry-After when the python queue is full, and never shows or logs a configured secret", async () => {
    const secret = "Http-Secret.unknown+format.55";
    registerSecret(secret);
    const routes = new Hono<HttpEnv>();
    routes.get("/busy", () => {
      throw new NodeExecutionError("NodeExecutionFailed", "Node 'py' failed: queue full", {
        node: "py",
        cause: new PythonQueueFullError("py", 256),
      });
    });
    routes.get("/leak", () => {
      throw new Error(`driver said: login with ${secret} refused`);
    });
    routes.get("/flow-error", () => {
      throw new NodeExecutionError("NodeExecutionFailed", `Node 'tool' failed: bad key ${secret}`, {
        node: "tool",
      });
    });
    const logged: string[] = [];
    const app = createHttpApp({
      mounts: [{ path: "/", app: routes }],
      log: (level, message) => logged.push(`${level} ${message}`),
    });
    const host = { headers: { host: "localhost" } };

    const busy = await app.request("/busy", host);
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(await busy.json()).toMatchObject({ error: { code: "ServiceUnavailable" } });

    const leak = await app.request("/leak", host);
    const flowError = await app.request("/flow-error", host);
    expect([leak.status, flowError.status]).toEqual([500, 500]);
    const bodies = `${await leak.text()} ${await flowError.text()}`;
    expect(bodies).toContain("bad key ***");
    expect(bodies).not.toContain(secret);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join("\n")).toContain("***");
    expect(logged.join("\n")).not.toContain(secret);
  });
});
