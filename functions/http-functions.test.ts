import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HttpRequest, HttpResponse } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppContext, createAppContext } from "../src/app/app-context.js";
import {
  type AppFunction,
  buildFunctionTable,
  type HttpFunction,
  type QueueFunction,
} from "../src/app/function-table.js";
import { LocalDurableRuntime } from "../src/host/durable/local-durable-runtime.js";
import { createHttpApp } from "../src/http/create-http-app.js";
import { functionRoutes } from "../src/http/function-routes.js";
import { encodeQueueMessage } from "../src/stores/azure/queue-client.js";
import { handleHttpTrigger } from "./adapters.js";

const root = path.resolve(import.meta.dirname, "..");
let work: string;
let app: AppContext;
let runtime: LocalDurableRuntime;
let table: AppFunction[];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "flowops-functions-"));
  const flows = path.join(work, "flows");
  mkdirSync(flows);
  symlinkSync(path.join(root, "tests/fixtures/serve/echo"), path.join(flows, "echo"));
  symlinkSync(path.join(root, "tests/fixtures/serve/stream"), path.join(flows, "stream"));
  symlinkSync(path.join(root, "flows/evaluators/exact-match"), path.join(flows, "exact-match"));
  app = await createAppContext({
    settings: { FLOWOPS_HOME: path.join(work, "home") },
    flowsDir: flows,
    log: () => {},
  });
  table = buildFunctionTable(app.flows.names());
  const orchestrations = Object.fromEntries(
    table.flatMap((fn) => (fn.kind === "orchestration" ? [[fn.name, fn.handler]] : [])),
  );
  const activities = Object.fromEntries(
    table.flatMap((fn) =>
      fn.kind === "activity" ? [[fn.name, (input: unknown) => fn.handler(input, app)]] : [],
    ),
  );
  runtime = new LocalDurableRuntime({ stateDir: path.join(work, "durable"), orchestrations, activities });
});

afterAll(async () => {
  await app.close();
  rmSync(work, { recursive: true, force: true });
});

/** Calls the app's HTTP routes through the Azure adapter, with Azure's request and response types. */
async function call(init: {
  method?: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}): Promise<HttpResponse> {
  const request = new HttpRequest({
    method: init.method ?? "POST",
    url: `http://localhost:7071${init.path}`,
    headers: { "content-type": "application/json", ...init.headers },
    ...(init.body === undefined
      ? {}
      : { body: { string: typeof init.body === "string" ? init.body : JSON.stringify(init.body) } }),
  });
  const errors: string[] = [];
  const httpApp = createHttpApp({
    mounts: [{ path: "/", app: functionRoutes(httpFunctions()) }],
    log: (_level, message) => errors.push(message),
  });
  const response = new HttpResponse(
    await handleHttpTrigger(httpApp, request, {
      baseUrl: "https://flowops.example",
      invocation: async () => ({ app, client: runtime }),
    }),
  );
  if (response.status >= 500) throw new Error(`server error: ${errors.join("\n")}`);
  return response;
}

const httpFunctions = () => table.filter((fn): fn is HttpFunction => fn.kind === "http");

describe("HTTP functions through @azure/functions request and response types", () => {
  it("scores a flow: JSON inputs to JSON outputs", async () => {
    const response = await call({ path: "/api/flows/echo", body: { text: "hi", times: 2 } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ answer: "HI HI", length: 5 });
  });

  it("answers 400 naming the field for bad inputs, and for bad JSON; never a 500", async () => {
    const missing = await call({ path: "/api/flows/echo", body: { times: 2 } });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: expect.objectContaining({ code: "UserError", field: "text" }),
    });
    const broken = await call({ path: "/api/flows/echo", body: "{not json" });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const wrongType = await call({
      path: "/api/flows/echo",
      body: { text: "x", times: "many" },
    });
    expect(wrongType.status).toBe(400);
  });

  it("answers 404 with a JSON body for a flow that is not served", async () => {
    const response = await call({
      path: "/api/flows/nope",
      body: {},
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: expect.objectContaining({
        code: "NotFound",
        field: "flow",
        message: expect.stringContaining("echo"),
      }),
    });
  });

  it("streams server-sent events when the client accepts text/event-stream", async () => {
    const response = await call({
      path: "/api/flows/stream",
      body: { words: ["a", "b", "c"] },
      headers: { accept: "text/event-stream" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = (await response.text()).split("\n\n").filter(Boolean);
    expect(events[0]).toBe('data: {"count":3}');
    expect(events.slice(1).every((event) => event.startsWith('data: {"answer":'))).toBe(true);
  });

  it("serves the flow's swagger with its /api path, and an anonymous health check", async () => {
    const swagger = (await (await call({ method: "GET", path: "/api/flows/echo/swagger.json" })).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(swagger.paths)).toEqual(["/api/flows/echo"]);
    const healthFn = table.find((fn) => fn.name === "health") as HttpFunction;
    expect(healthFn.authLevel).toBe("anonymous");
    expect((table.find((fn) => fn.name === "score-echo") as HttpFunction).authLevel).toBe("function");
    const health = await call({ method: "GET", path: "/api/health" });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual(
      expect.objectContaining({
        status: "Healthy",
        flows: ["echo", "exact-match", "stream"],
        stores: {
          runs: { kind: "sqlite", status: "reachable" },
          blobs: { kind: "local", status: "reachable" },
        },
      }),
    );
  });

  it("starts a bulk evaluation (202 + status URL) exactly once, and reports its metrics", async () => {
    const request = {
      name: "http-run-1",
      data: [
        { text: "a", expected: "A" },
        { text: "b", expected: "B" },
        { text: "c", expected: "nope" },
        { text: "d", expected: "D" },
      ],
      evaluations: [
        {
          flow: "exact-match",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: column-mapping syntax
          column_mapping: { groundtruth: "${data.expected}", prediction: "${run.outputs.answer}" },
        },
      ],
    };
    const first = await call({ path: "/api/flows/echo/runs", body: request });
    expect(first.status).toBe(202);
    const body = (await first.json()) as { statusQueryGetUri: string; started: boolean };
    expect(body).toEqual(expect.objectContaining({ name: "http-run-1", started: true }));
    expect(first.headers.get("location")).toBe("https://flowops.example/api/runs/http-run-1");
    const retry = await call({ path: "/api/flows/echo/runs", body: request });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual(expect.objectContaining({ started: false }));
    await runtime.whenIdle();

    const status = await call({
      method: "GET",
      path: "/api/runs/http-run-1",
    });
    const run = (await status.json()) as Record<string, unknown>;
    expect(run).toEqual(
      expect.objectContaining({
        status: "Completed",
        orchestration: "Completed",
        lines: { total: 4, completed: 4, failed: 0 },
        metrics: { "exact-match.exact_match_rate": 0.75 },
        evaluations: [
          expect.objectContaining({
            flow: "exact-match",
            status: "Completed",
            lines: { total: 4, completed: 4, failed: 0 },
            metrics: { exact_match_rate: 0.75 },
          }),
        ],
      }),
    );
    const page = await call({
      method: "GET",
      path: "/api/runs/http-run-1/lines?limit=3",
    });
    const lines = (await page.json()) as { lines: { line_number: number; outputs: unknown }[]; next: string };
    expect(lines.lines.map((line) => line.line_number)).toEqual([0, 1, 2]);
    expect(lines.lines[1]?.outputs).toEqual({ answer: "B", length: 1 });
    expect(lines.next).toBe("https://flowops.example/api/runs/http-run-1/lines?limit=3&offset=3");
  });

  it("claims a run name atomically: of two flows' concurrent requests with one name, one gets 202, the other 409", async () => {
    for (let trial = 0; trial < 5; trial++) {
      const name = `race-${trial}`;
      const [echo, stream] = await Promise.all([
        call({ path: "/api/flows/echo/runs", body: { name, data: [{ text: "from echo" }] } }),
        call({ path: "/api/flows/stream/runs", body: { name, data: [{ words: ["from", "stream"] }] } }),
      ]);
      expect([echo.status, stream.status].sort()).toEqual([202, 409]);
      const loser = echo.status === 409 ? echo : stream;
      expect(await loser.json()).toEqual({
        error: expect.objectContaining({ code: "Conflict", field: "name" }),
      });
      await runtime.whenIdle();
      const winner = echo.status === 202 ? "echo" : "stream";
      const run = await app.runs.getRun(name);
      expect(run?.flow).toContain(winner);
      const [line] = await app.runs.getLines(name);
      // The run ran on its own caller's data.
      expect(JSON.stringify(line?.inputs)).toContain(winner === "echo" ? "from echo" : "stream");
    }
  });

  it("rejects bad run requests with 400 naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ data: [{ text: "a" }] }, "name"],
      [{ name: "r", data: "not-an-asset" }, "data"],
      [{ name: "r", data: [{ text: "a" }], evaluations: [{ flow: "nope" }] }, "evaluations[0].flow"],
      [{ name: "r", data: [{ text: "a" }], column_mapping: { nope: "x" } }, "column_mapping.nope"],
      [{ name: "r", data: "missing:1" }, "data"],
    ];
    for (const [body, field] of cases) {
      const response = await call({ path: "/api/flows/echo/runs", body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    const unknown = await call({
      method: "GET",
      path: "/api/runs/none",
    });
    expect(unknown.status).toBe(404);
  });
});

describe("queue function", () => {
  const queue = () => table.find((fn): fn is QueueFunction => fn.kind === "queue" && fn.flow === "echo")!;

  it("is bound to the flow's {flow}-runs queue", () => {
    expect(queue().queueName).toBe("echo-runs");
  });

  it("accepts base64 and plain JSON messages, and starts a duplicate only once", async () => {
    const message = { name: "queued-1", data: [{ text: "x" }] };
    await expect(queue().handler(encodeQueueMessage(message), { app, client: runtime })).resolves.toEqual(
      expect.objectContaining({ started: true }),
    );
    await expect(queue().handler(JSON.stringify(message), { app, client: runtime })).resolves.toEqual(
      expect.objectContaining({ started: false }),
    );
    await runtime.whenIdle();
    expect((await app.runs.getRun("queued-1"))?.lines).toEqual({ total: 1, completed: 1, failed: 0 });
  });

  it("throws for messages it cannot process, so the host retries and then poisons them", async () => {
    await expect(queue().handler("%%% not json", { app, client: runtime })).rejects.toThrow(
      /neither JSON nor base64/,
    );
    await expect(queue().handler('{"name": "x"}', { app, client: runtime })).rejects.toThrow(
      /'data' is missing/,
    );
    await expect(
      queue().handler('{"name": "x", "data": [{}], "flow": "stream"}', { app, client: runtime }),
    ).rejects.toThrow(/flow/);
  });
});
