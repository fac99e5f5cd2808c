import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { NodeExecutionError, UserError } from "../core/errors.js";
import { createHttpApp, describeServerError } from "./create-http-app.js";
import { RequestError, scrubServerPaths } from "./http-errors.js";
import { type HttpEnv, streamWithSlot } from "./http-guards.js";
import { loopbackHostCheck } from "./listen-http-app.js";
import { readJsonObject } from "./read-json-body.js";

const json = { "content-type": "application/json" };

/** A sub-app standing in for any mounted routes (the studio, flow serve's routes...). */
function echoRoutes(): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();
  routes.post("/echo", async (c) => c.json(await readJsonObject(c.req.raw)));
  routes.get("/page", (c) => c.text("a page"));
  routes.get("/crash", () => {
    throw new Error("ENOENT: no such file, open '/srv/secret/place/data.json'");
  });
  routes.get("/node", () => {
    throw new NodeExecutionError("NodeFailed", "Node 'n' failed reading /home/app/flows/x/tool.py", {
      node: "n",
    });
  });
  return routes;
}

describe("createHttpApp", () => {
  it("serves mounted sub-apps, with JSON 404s for the rest", async () => {
    const app = createHttpApp({
      mounts: [
        { path: "/", app: echoRoutes() },
        { path: "/studio", app: echoRoutes() },
      ],
    });
    // Sub-apps mounted on the returned app (before its first request) get the same guards.
    app.route("/later", echoRoutes());
    expect(await (await app.request("/page")).text()).toBe("a page");
    expect(await (await app.request("/studio/page")).text()).toBe("a page");
    const missing = await app.request("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.objectContaining({ code: "NotFound" }) });
    expect((await app.request("/later/echo", { method: "POST", body: "{}" })).status).toBe(415);
  });

  it("refuses POSTs that are not JSON with 415 (form and text/plain bodies need no CORS preflight)", async () => {
    const app = createHttpApp({ mounts: [{ path: "/", app: echoRoutes() }] });
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const response = await app.request("/echo", {
        method: "POST",
        headers: { "content-type": type },
        body: "{}",
      });
      expect(response.status, type).toBe(415);
    }
    expect((await app.request("/echo", { method: "POST", body: new Uint8Array([123, 125]) })).status).toBe(
      415,
    );
    const ok = await app.request("/echo", { method: "POST", headers: json, body: '{"a":1}' });
    expect(await ok.json()).toEqual({ a: 1 });
  });

  it("answers only loopback Host values when the server says so (DNS rebinding), and extra allowed ones", async () => {
    const app = createHttpApp({ mounts: [{ path: "/", app: echoRoutes() }] });
    const env = { hostAllowed: loopbackHostCheck(7071, ["studio.test:7071"]) };
    const get = (host: string) => app.request("/page", { headers: { host } }, env);
    for (const host of [
      "localhost:7071",
      "127.0.0.1:7071",
      "127.1.2.3:7071",
      "[::1]:7071",
      "studio.test:7071",
    ]) {
      expect((await get(host)).status, host).toBe(200);
    }
    for (const host of [
      "evil.example:7071",
      "localhost:7072",
      "localhost",
      "127.0.0.1.evil.example:7071",
      "",
    ]) {
      const response = await get(host);
      expect(response.status, host).toBe(403);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        "FLOWOPS_ALLOWED_HOSTS",
      );
    }
  });

  it("answers 5xx with an error id that the log carries, and no server path or raw error", async () => {
    const logged: string[] = [];
    const app = createHttpApp({
      mounts: [{ path: "/", app: echoRoutes() }],
      log: (_level, message) => logged.push(message),
    });
    const crash = await app.request("/crash");
    expect(crash.status).toBe(500);
    const text = await crash.text();
    expect(text).not.toContain("/srv/secret");
    expect(text).not.toContain("ENOENT");
    const { error } = JSON.parse(text) as { error: { errorId: string; message: string } };
    expect(error.errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(logged.join("\n")).toContain(`error ${error.errorId}: GET /crash failed`);
    expect(logged.join("\n")).toContain("/srv/secret/place/data.json");
    expect(logged.join("\n")).not.toContain("    at "); // no stack unless verbose

    const node = await app.request("/node");
    const body = (await node.json()) as { error: { node: string; message: string; errorId: string } };
    expect(body.error).toEqual(expect.objectContaining({ node: "n", errorId: expect.any(String) }));
    expect(body.error.message).toContain("…/tool.py");
    expect(body.error.message).not.toContain("/home/app");
  });

  it("logs stacks only in verbose mode, and never for a user error", () => {
    const crash = new Error("boom");
    expect(describeServerError(crash, "GET /x", "id1", true)).toContain("    at ");
    expect(describeServerError(crash, "GET /x", "id1", false)).not.toContain("    at ");
    const user = new UserError("RecordingNotFound", "no recording for this request");
    expect(describeServerError(user, "POST /score", "id2", true)).not.toContain("    at ");
  });

  it("bounds the POSTs in flight: over the limit, 503 with Retry-After; a stream holds its slot to the end", async () => {
    let finish: (() => void) | undefined;
    const routes = new Hono<HttpEnv>();
    routes.post("/slow", async (c) => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return c.json({ done: true });
    });
    routes.post("/stream", (c) =>
      streamWithSlot(c, async (release) => {
        const body = new ReadableStream(
          {
            pull(controller) {
              controller.enqueue(new TextEncoder().encode("data: 1\n\n"));
              controller.close();
              release();
            },
          },
          { highWaterMark: 0 },
        );
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      }),
    );
    const app = createHttpApp({ mounts: [{ path: "/", app: routes }], maxInFlight: 1 });
    const post = (path: string) => app.request(path, { method: "POST", headers: json, body: "{}" });
    const slow = post("/slow");
    await new Promise((resolve) => setTimeout(resolve, 10));
    const busy = await post("/slow");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect((await app.request("/page")).status).toBe(404); // GETs are not counted
    finish!();
    expect((await slow).status).toBe(200);
    const stream = await post("/stream");
    expect((await post("/stream")).status).toBe(503); // the first stream still holds the slot
    expect(await stream.text()).toBe("data: 1\n\n");
    expect((await post("/stream")).status).toBe(200);
  });
});

describe("readJsonObject", () => {
  const read = (body: string, type = "application/json") =>
    readJsonObject(new Request("http://x/", { method: "POST", headers: { "content-type": type }, body }));

  it("rejects nesting deeper than the limit with a 400 naming the field, without recursion", async () => {
    const deep = `{"chat_history": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const error = await read(deep).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toEqual(expect.objectContaining({ status: 400, field: "chat_history" }));
    expect(await read(`{"a": ${"[".repeat(60)}${"]".repeat(60)}}`)).toEqual({ a: expect.any(Array) });
  });

  it("reads an empty body as no inputs, and refuses bodies over the size limit with 413", async () => {
    expect(await read("")).toEqual({});
    const big = new Request("http://x/", { method: "POST", headers: json, body: `"${"x".repeat(2000)}"` });
    await expect(readJsonObject(big, { maxBytes: 1000 })).rejects.toEqual(
      expect.objectContaining({ status: 413 }),
    );
    await expect(read("[1]")).rejects.toEqual(expect.objectContaining({ status: 400 }));
    await expect(read("{", "application/vnd.api+json")).rejects.toEqual(
      expect.objectContaining({ status: 400 }),
    );
  });
});

describe("scrubServerPaths", () => {
  it("keeps only the last segment of absolute paths", () => {
    expect(scrubServerPaths("cannot open '/srv/app/flows/a/b.py' (C:\\app\\x.ts) in flows/a")).toBe(
      "cannot open '…/b.py' (…/x.ts) in flows/a",
    );
  });
});
