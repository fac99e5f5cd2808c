import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVITIES, BULK_RUN_ORCHESTRATION } from "../src/app/bulk-run-plan.js";
import { buildFunctionTable } from "../src/app/function-table.js";
import { installFunctionsWorker, type Registration } from "../tests/support/functions-worker.js";

// The Azure Functions entry as the worker loads it: imported once, its registrations read, then its
// functions invoked through the worker's programming model. The Durable extension's HTTP API (what the
// Durable client calls to start and query orchestrations) is a local server that records each request.
const root = path.resolve(import.meta.dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "flowops-functions-entry-"));
const flows = path.join(work, "flows");
mkdirSync(flows);
symlinkSync(path.join(root, "tests/fixtures/serve/echo"), path.join(flows, "echo"));
const worker = installFunctionsWorker();
const loaded = () =>
  Object.keys(require.cache).filter((file) => file.includes("/node_modules/durable-functions/"));

interface DurableRequest {
  method: string;
  path: string;
  body: string;
}
const durableRequests: DurableRequest[] = [];
const started = new Map<string, string>();
const durableApi = createServer(async (request: IncomingMessage, response) => {
  let body = "";
  for await (const chunk of request) body += chunk;
  const url = new URL(request.url ?? "/", "http://localhost");
  durableRequests.push({ method: request.method ?? "", path: url.pathname, body });
  const start = /^\/durabletask\/orchestrators\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  const status = /^\/durabletask\/instances\/([^/]+)$/.exec(url.pathname);
  response.setHeader("content-type", "application/json");
  if (request.method === "POST" && start) {
    started.set(start[2]!, start[1]!);
    response.writeHead(202).end(JSON.stringify({ id: start[2] }));
  } else if (request.method === "GET" && status && started.has(status[1]!)) {
    const instanceId = status[1]!;
    const time = "2026-01-02T03:04:05Z";
    const init = {
      name: started.get(instanceId),
      instanceId,
      runtimeStatus: "Running",
      input: null,
      output: null,
    };
    response.writeHead(200).end(JSON.stringify({ ...init, createdTime: time, lastUpdatedTime: time }));
  } else {
    response.writeHead(404).end(JSON.stringify({ message: "no such instance" }));
  }
});
let clientData: Record<string, unknown>;
let durableLoadedAtStart: string[];

beforeAll(async () => {
  await new Promise<void>((resolve) => durableApi.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(durableApi.address() as AddressInfo).port}`;
  clientData = {
    taskHubName: "FlowopsHub",
    creationUrls: {},
    managementUrls: {},
    baseUrl: `${base}/runtime/webhooks/durabletask`,
    requiredQueryStringParameters: "",
    rpcBaseUrl: `${base}/durabletask/`,
  };
  Object.assign(process.env, {
    FLOWOPS_FLOWS: flows,
    FLOWOPS_HOME: path.join(work, "home"),
    FLOWOPS_BASE_URL: "https://flowops.example",
    // In Azure: durable-functions keeps the extension's URLs as they are (locally it points them to :7071).
    WEBSITE_HOSTNAME: "flowops.example",
  });
  await import("./index.js");
  durableLoadedAtStart = loaded();
});

afterAll(async () => {
  await new Promise((resolve) => durableApi.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

/** An HTTP trigger's handler, called as the worker calls it (HTTP streaming: request and context). */
async function callHttp(name: string, method: string, route: string, body?: unknown) {
  const { HttpRequest, InvocationContext } = await import("@azure/functions");
  const { metadata, handler } = worker.registration(name);
  const extraInputs = Object.entries(metadata.bindings)
    .filter(([, binding]) => binding.type === "durableClient")
    .map(([bindingName, binding]) => ({ ...binding, name: bindingName }));
  const context = new InvocationContext({
    functionName: name,
    options: { trigger: triggerOf(metadata), extraInputs },
  });
  for (const input of extraInputs) context.extraInputs.set(input, clientData);
  const request = new HttpRequest({
    method,
    url: `https://flowops.example/api/${route}`,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
  });
  const answer = (await handler(request, context)) as { status: number; body: string };
  return { status: answer.status, json: JSON.parse(answer.body) as Record<string, unknown> };
}

function triggerOf(metadata: Registration["metadata"]) {
  const [name, binding] = Object.entries(metadata.bindings).find(([, binding]) =>
    binding.type.endsWith("Trigger"),
  )!;
  return { ...binding, name };
}

describe("the Azure Functions entry (functions/index.ts)", () => {
  it("registers the whole function table at import, without loading durable-functions", () => {
    expect(durableLoadedAtStart).toEqual([]);
    const table = buildFunctionTable(["echo"]);
    expect(worker.registrations.map((entry) => entry.metadata.name)).toEqual(table.map((fn) => fn.name));
    const triggerType = {
      http: "httpTrigger",
      queue: "queueTrigger",
      orchestration: "orchestrationTrigger",
      activity: "activityTrigger",
    };
    for (const fn of table) {
      const bindings = Object.values(worker.registration(fn.name).metadata.bindings);
      const usesClient = fn.kind === "queue" || (fn.kind === "http" && fn.usesClient);
      expect(bindings.filter((binding) => binding.direction === "in").map((binding) => binding.type)).toEqual(
        usesClient ? [triggerType[fn.kind], "durableClient"] : [triggerType[fn.kind]],
      );
      if (fn.kind === "http") {
        expect(bindings[0]).toMatchObject({ route: fn.route, methods: fn.methods, authLevel: fn.authLevel });
      }
      if (fn.kind === "queue") {
        expect(bindings[0]).toMatchObject({ queueName: "echo-runs", connection: "AzureWebJobsStorage" });
      }
    }
  });

  it("answers HTTP triggers through the one HTTP app, built with the first request", async () => {
    const health = await callHttp("health", "GET", "health");
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: "Healthy", flows: expect.arrayContaining(["echo"]) });
    const score = await callHttp("score-echo", "POST", "flows/echo", { text: "hi", times: 2 });
    expect(score).toEqual({ status: 200, json: { answer: "HI HI", length: 5 } });
    expect(loaded()).toEqual([]); // no HTTP function so far needed the Durable client
  });

  it("starts a bulk run from its queue through the Durable client, then orchestrates and prepares it", async () => {
    const message = JSON.stringify({ name: "entry-run", data: [{ text: "a" }, { text: "b" }] });
    await worker.invoke("queue-echo", { queueTrigger: message, durableClient: clientData });
    expect(durableRequests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "GET /durabletask/instances/entry-run",
      `POST /durabletask/orchestrators/${BULK_RUN_ORCHESTRATION}/entry-run`,
    ]);
    expect(JSON.parse(durableRequests[1]!.body)).toEqual({ run: "entry-run" });
    expect(loaded().length).toBeGreaterThan(0);

    const status = await callHttp("run-status", "GET", "runs/entry-run");
    expect(status).toMatchObject({ status: 200, json: { name: "entry-run", status: "Running" } });

    // The local host's copies of durable-functions' history classes (they load the library, so only now).
    const { historyEvents, orchestrationInput } = await import("../src/host/durable/durable-internals.js");
    const now = new Date();
    const history = [
      historyEvents.orchestratorStarted(now),
      historyEvents.executionStarted(BULK_RUN_ORCHESTRATION, { run: "entry-run" }, now),
    ];
    const episode = JSON.stringify(orchestrationInput("entry-run", history, { run: "entry-run" }));
    const state = (await worker.invoke(BULK_RUN_ORCHESTRATION, { orchestrationTrigger: episode })) as {
      actions: { functionName: string; input: unknown }[][];
    };
    expect(state.actions.flat()).toEqual([
      expect.objectContaining({ functionName: ACTIVITIES.prepare, input: { run: "entry-run" } }),
    ]);
    const plan = await worker.invoke(ACTIVITIES.prepare, { activityTrigger: { run: "entry-run" } });
    expect(plan).toMatchObject({ run: "entry-run", chunks: 2, window: 2 }); // one line per chunk
  });
});
