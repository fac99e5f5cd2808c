import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer } from "../../tests/support/vendor-servers/openai-server.js";
import type { VendorServer } from "../../tests/support/vendor-servers/scripted-server.js";
import { loadFlow } from "../load-flow.js";
import { createFlowServer, type FlowServer } from "./create-flow-server.js";

const fixture = (name: string) => path.resolve("tests/fixtures/serve", name);

/** Starts `flow serve` for a fixture on 127.0.0.1 and a free port. */
async function serve(name: string, env: NodeJS.ProcessEnv): Promise<{ server: FlowServer; url: string }> {
  const flow = await loadFlow(fixture(name), { env, tracing: false });
  const server = createFlowServer({ flow, version: "1.2.3" });
  const { url } = await server.listen(0, "127.0.0.1");
  return { server, url };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/score`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

/** Parses a server-sent event stream into its `data:` payloads. */
function sseData(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => JSON.parse(event.slice("data: ".length)));
}

describe("createFlowServer", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const servers: FlowServer[] = [];
  const start = async (name: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    const started = await serve(name, { ...env, ...extraEnv });
    servers.push(started.server);
    return started.url;
  };

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), "flowops-serve-"));
    env = { FLOWOPS_HOME: home };
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await rm(home, { recursive: true, force: true });
  });

  it("answers POST /score with the flow's outputs as JSON", async () => {
    const url = await start("echo");
    const response = await post(url, JSON.stringify({ text: "hey", times: "2" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({ answer: "HEY HEY", length: 7 });
  });

  it("reuses keep-alive connections across requests", async () => {
    const url = new URL(await start("echo"));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const once = () =>
      new Promise<{ reused: boolean; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: "/score",
            method: "POST",
            agent,
            headers: { "content-type": "application/json" },
          },
          (res) => {
            let body = "";
            res.on("data", (chunk) => {
              body += chunk;
            });
            res.on("end", () => resolve({ reused: req.reusedSocket, body }));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ text: "a" }));
      });
    const first = await once();
    const second = await once();
    const third = await once();
    agent.destroy();
    expect(first.reused).toBe(false);
    expect(second.reused && third.reused).toBe(true);
    expect(JSON.parse(third.body)).toEqual({ answer: "A", length: 1 });
  });

  it("streams promptflow's server-sent deltas when the client accepts text/event-stream", async () => {
    const url = await start("stream");
    const response = await post(url, JSON.stringify({ words: ["one", "two", "three"] }), {
      accept: "text/event-stream",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(sseData(await response.text())).toEqual([
      { count: 3 },
      { answer: "one" },
      { answer: " two" },
      { answer: " three" },
    ]);
  });

  it("ends a stream that fails midway with an error event naming the node, without secrets", async () => {
    const url = await start("stream-fail");
    const response = await post(url, JSON.stringify({ question: "q" }), { accept: "text/event-stream" });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sseData(text)).toEqual([{ answer: "q:" }]);
    const error = /event: error\ndata: (.*)\n\n$/.exec(text);
    expect(error).not.toBeNull();
    const body = JSON.parse(error![1]!) as { error: { node?: string; message: string } };
    expect(body.error.message).toContain("connection dropped");
    expect(body.error.node).toBe("speak");
    expect(text).not.toContain("SECRET0123456789");
  });

  it.each([
    ["not JSON", "{text: hey", "not valid JSON", undefined],
    ["a JSON array", "[1, 2]", "must be a JSON object", undefined],
    ["a missing input", "{}", "'text' is missing", "text"],
    ["an ill-typed input", JSON.stringify({ text: "a", times: "many" }), "'times' must be int", "times"],
  ])("answers %s with 400 and a JSON error naming the field", async (_case, body, message, field) => {
    const url = await start("echo");
    for (const accept of ["application/json", "text/event-stream"]) {
      const response = await post(url, body, { accept });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      const error = ((await response.json()) as { error: { code: string; message: string; field?: string } })
        .error;
      expect(error.code).toBe("UserError");
      expect(error.message).toContain(message);
      expect(error.field).toBe(field);
    }
  });

  it("answers wrong routes, methods and media types with 4xx JSON", async () => {
    const url = await start("echo");
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/score`)).status).toBe(405);
    const html = await post(url, JSON.stringify({ text: "a" }), { accept: "text/html" });
    expect(html.status).toBe(406);
    expect(((await html.json()) as { error: { message: string } }).error.message).toContain(
      "text/event-stream",
    );
    const form = await fetch(`${url}/score`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "text=a",
    });
    expect(form.status).toBe(415);
    const huge = await post(url, JSON.stringify({ text: "x".repeat(11 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    // The connection stays usable after an error.
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it("answers a failing node with 500 JSON naming the node, without stack or secret", async () => {
    const url = await start("failing");
    const response = await post(url, JSON.stringify({ question: "why" }));
    expect(response.status).toBe(500);
    const text = await response.text();
    const { error } = JSON.parse(text) as { error: { code: string; message: string; node: string } };
    expect(error.node).toBe("explode");
    expect(error.message).toContain("upstream refused 'why'");
    expect(text).not.toContain("SECRET0123456789");
    expect(text).not.toContain("at ");
  });

  it("answers inputs with no recording in replay mode with 422 naming the closest recorded prompt", async () => {
    const flow = await loadFlow(path.resolve("flows/named-entity-recognition"), {
      env: { ...env, FLOWOPS_LLM_MODE: "replay" },
      tracing: false,
    });
    const server = createFlowServer({ flow });
    servers.push(server);
    const { url } = await server.listen(0, "127.0.0.1");
    const recorded = await post(
      url,
      JSON.stringify({ entity_type: "person", text: "Ada Lovelace met Charles Babbage." }),
    );
    expect(recorded.status).toBe(200);
    const unrecorded = await post(
      url,
      JSON.stringify({ entity_type: "person", text: "an unrecorded sentence" }),
    );
    expect(unrecorded.status).toBe(422);
    const { error } = (await unrecorded.json()) as {
      error: { code: string; message: string; node?: string };
    };
    expect(error.code).toBe("NoRecording");
    expect(error.node).toBe("NER_LLM");
    expect(error.message).toContain("These inputs are new");
    expect(error.message).not.toContain(process.cwd());
  });

  it("reports health and an OpenAPI 3 document generated from the flow's inputs and outputs", async () => {
    const url = await start("echo");
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: "Healthy", version: "1.2.3" });

    // biome-ignore lint/suspicious/noExplicitAny: walking a JSON document in assertions
    const swagger = (await (await fetch(`${url}/swagger.json`)).json()) as any;
    expect(swagger.openapi).toBe("3.0.0");
    const score = swagger.paths["/score"].post;
    expect(score.requestBody.content["application/json"].schema).toEqual({
      type: "object",
      properties: {
        text: { type: "string", description: "what to shout" },
        times: { type: "integer", default: 1 },
      },
      required: ["text"],
    });
    expect(score.responses["200"].content["application/json"].schema.properties).toEqual({
      answer: { type: "string" },
      length: { type: "integer" },
    });
    expect(Object.keys(score.responses)).toEqual(["200", "400", "500"]);
  });

  describe("with an llm node on a local OpenAI-wire server", () => {
    let model: VendorServer;
    let connectionEnv: NodeJS.ProcessEnv;
    beforeAll(async () => {
      model = await startOpenAIServer();
      connectionEnv = {
        FLOWOPS_CONNECTION_LOCAL_OPENAI: JSON.stringify({
          type: "open_ai",
          api_key: "sk-local-test-key-123456",
          base_url: `${model.url}/v1`,
        }),
      };
    });
    afterAll(() => model.close());

    it("returns the model's answer as JSON", async () => {
      const url = await start("llm", connectionEnv);
      model.enqueue({ reply: { text: "Paris is the capital." } });
      const response = await post(url, JSON.stringify({ question: "Capital of France?" }));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ answer: "Paris is the capital." });
      const sent = model.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
      expect(sent.messages.at(-1)).toMatchObject({ role: "user", content: "Capital of France?" });
    });

    it("streams the model's tokens as server-sent deltas", async () => {
      const url = await start("llm", connectionEnv);
      model.enqueue({ reply: { text: "Paris is the capital of France." } });
      const response = await post(url, JSON.stringify({ question: "Capital?" }), {
        accept: "text/event-stream",
      });
      expect(response.status).toBe(200);
      const events = sseData(await response.text()) as { answer: string }[];
      expect(events.length).toBeGreaterThan(2);
      expect(events.map((e) => e.answer).join("")).toBe("Paris is the capital of France.");
    });
  });
});
