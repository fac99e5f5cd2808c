import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { createUndiciFetch } from "./create-undici-fetch.js";

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const servers: { close(): void; closeAllConnections(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => handler(request, body, response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fetchFast = createUndiciFetch();

describe("createUndiciFetch", () => {
  it("sends method, headers and body; returns status, headers and the parsed body", async () => {
    const url = await serve((request, body, response) => {
      response.writeHead(201, { "content-type": "application/json", "x-request-id": "req-1" });
      response.end(JSON.stringify({ method: request.method, auth: request.headers["authorization"], body }));
    });
    const response = await fetchFast(`${url}/v1/x`, {
      method: "post",
      headers: new Headers({ authorization: "Bearer k", "content-type": "application/json" }),
      body: '{"a":1}',
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${url}/v1/x`);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ method: "POST", auth: "Bearer k", body: '{"a":1}' });
  });

  it("reports an error status with its headers (retry-after) and text", async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(429, { "retry-after-ms": "250" });
      response.end("slow down");
    });
    const response = await fetchFast(url, { method: "POST", body: "{}" });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after-ms")).toBe("250");
    expect(await response.text()).toBe("slow down");
  });

  it("streams the body chunk by chunk as the server sends it", async () => {
    let finish: () => void = () => {};
    const url = await serve((_request, _body, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: one\n\n");
      finish = () => response.end("data: two\n\n");
    });
    const response = await fetchFast(url);
    const chunks = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    // The first event arrives while the server still holds the rest back.
    const first = await chunks.next();
    expect(Buffer.from(first.value!).toString()).toBe("data: one\n\n");
    finish();
    const rest: string[] = [];
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      rest.push(Buffer.from(next.value).toString());
    }
    expect(rest.join("")).toBe("data: two\n\n");
  });

  it("rejects with the abort reason when aborted before the headers", async () => {
    const url = await serve(() => {
      // never answers
    });
    const controller = new AbortController();
    const pending = fetchFast(url, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("errors the body when aborted mid-stream", async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: one\n\n");
    });
    const controller = new AbortController();
    const response = await fetchFast(url, { signal: controller.signal });
    const chunks = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await chunks.next();
    controller.abort();
    await expect(chunks.next()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects a connection the server drops before answering", async () => {
    const url = await serve((request) => request.socket.destroy());
    await expect(fetchFast(url, { method: "POST", body: "{}" })).rejects.toThrow();
  });

  it("carries an OpenAI SDK stream: deltas arrive in order and the stream ends", async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      for (const text of ["Hel", "lo"]) {
        const chunk = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
        response.write(
          `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { content: text } }] })}\n\n`,
        );
      }
      response.end("data: [DONE]\n\n");
    });
    const client = new OpenAI({ apiKey: "k", baseURL: url, fetch: fetchFast, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: "m", messages: [], stream: true });
    const texts: string[] = [];
    for await (const event of stream) texts.push(event.choices[0]?.delta.content ?? "");
    expect(texts).toEqual(["Hel", "lo"]);
  });
});
