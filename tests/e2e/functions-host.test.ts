import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRunQueue } from "../../src/stores/azure/queue-client.js";
import { SqliteRunStore } from "../../src/stores/local/sqlite-run-store.js";
import { type AzuriteInstance, startAzurite } from "../support/azurite.js";
import { writeAskFlow } from "../support/test-flows.js";
import { startOpenAIServer } from "../support/vendor-servers/openai-server.js";
import type { VendorServer } from "../support/vendor-servers/scripted-server.js";

// The local Functions host as a child process (`flowops start`), Azurite for its queues and blobs, and
// an OpenAI wire-protocol server standing in for the model (it counts every call).
const root = path.resolve(import.meta.dirname, "../..");
const REPLY = "The quick brown fox jumps over the lazy dog."; // the server's default answer
let azurite: AzuriteInstance;
let model: VendorServer;
let work: string;
let host: HostProcess;

interface HostProcess {
  child: ChildProcess;
  url: string;
  logs: () => string;
}

async function startHost(): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href,
      path.join(root, "src/cli/run-host-process.ts"),
      "start",
      "--port",
      "0",
    ],
    {
      cwd: work,
      env: {
        PATH: process.env["PATH"],
        FLOWOPS_HOME: path.join(work, "home"),
        FLOWOPS_FLOWS: path.join(work, "flows"),
        FLOWOPS_LLM_MODE: "live",
        FLOWOPS_CHUNK_LINES: "10",
        FLOWOPS_CONNECTION_LOCAL_OPENAI: JSON.stringify({
          type: "open_ai",
          api_key: "sk-local-test-key-000",
          base_url: `${model.url}/v1`,
        }),
        AzureWebJobsStorage: azurite.connectionString,
        // Retry failed messages at once (host.json waits 30 s between deliveries).
        AzureFunctionsJobHost__extensions__queues__visibilityTimeout: "00:00:00",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const match = /flowops host listening on (http:\/\/\S+)/.exec(output);
    if (match) return { child, url: match[1]!, logs: () => output };
    if (child.exitCode !== null) throw new Error(`host exited:\n${output}`);
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(`host did not start:\n${output}`);
}

async function stopHost(process: HostProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  const exited = new Promise((resolve) => process.child.once("exit", resolve));
  process.child.kill(signal);
  await exited;
}

async function waitForRun(name: string, timeoutMs = 40_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${host.url}/api/runs/${name}`);
    if (response.status === 200) {
      const run = (await response.json()) as { status: string; orchestration?: string };
      if (run.status === "Completed" || run.status === "Failed") return run;
    }
    await sleep(100);
  }
  throw new Error(`run ${name} did not finish:\n${host.logs().slice(-3000)}`);
}

/** Model calls whose prompt asks `question`. */
function callsFor(question: string): number {
  return model.requests.filter((request) => JSON.stringify(request.body).includes(`"${question}"`)).length;
}

beforeAll(async () => {
  [azurite, model] = await Promise.all([startAzurite(), startOpenAIServer()]);
  work = mkdtempSync(path.join(tmpdir(), "flowops-e2e-host-"));
  copyFileSync(path.join(root, "host.json"), path.join(work, "host.json"));
  const qa = path.join(work, "flows", "qa");
  writeAskFlow(qa, { connection: "local_openai", system: "Answer briefly." });
  symlinkSync(path.join(root, "flows/evaluators/exact-match"), path.join(work, "flows", "exact-match"));
  host = await startHost();
}, 90_000);

afterAll(async () => {
  if (host) await stopHost(host, "SIGKILL");
  await Promise.all([azurite?.stop(), model?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the local Functions host (flowops start) end to end", () => {
  it("scores a flow over HTTP under /api, with 400/404 JSON errors and an anonymous health check", async () => {
    const response = await fetch(`${host.url}/api/flows/qa`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "http question" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ answer: REPLY });
    expect(callsFor("http question")).toBe(1);
    const json = { "content-type": "application/json" };
    const bad = await fetch(`${host.url}/api/flows/qa`, { method: "POST", headers: json, body: "{}" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("question");
    const nope = await fetch(`${host.url}/api/flows/nope`, { method: "POST", headers: json, body: "{}" });
    expect(nope.status).toBe(404);
    // A web page's form or text/plain POST (no CORS preflight) is refused before any work.
    const form = await fetch(`${host.url}/api/flows/qa`, { method: "POST", body: "{}" });
    expect(form.status).toBe(415);
    const health = await fetch(`${host.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual(
      expect.objectContaining({
        status: "Healthy",
        flows: ["exact-match", "qa"],
        loaded: expect.arrayContaining(["qa"]),
      }),
    );
  });

  it("runs a queue-triggered bulk evaluation whose metrics match values computed here, once for a duplicate message", async () => {
    const rows = Array.from({ length: 24 }, (_, i) => ({
      question: `queued question ${i}`,
      expected: i % 3 === 0 ? REPLY.toUpperCase() : `something else ${i}`,
    }));
    const expectedRate =
      rows.filter((row) => row.expected.toLowerCase() === REPLY.toLowerCase()).length / rows.length;
    const request = {
      name: "queued-eval-1",
      data: rows,
      concurrency: 8,
      evaluations: [
        {
          flow: "exact-match",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: column-mapping syntax
          column_mapping: { groundtruth: "${data.expected}", prediction: "${run.outputs.answer}" },
        },
      ],
    };
    const queue = openRunQueue("qa", { AzureWebJobsStorage: azurite.connectionString });
    await queue.send(request); // base64, the Functions default
    await queue.queue.sendMessage(JSON.stringify(request)); // the same request again, as plain JSON
    const run = await waitForRun("queued-eval-1");
    expect(run).toEqual(
      expect.objectContaining({
        status: "Completed",
        lines: { total: 24, completed: 24, failed: 0 },
        metrics: { "exact-match.exact_match_rate": expect.closeTo(expectedRate, 5) },
        evaluations: [
          expect.objectContaining({
            status: "Completed",
            metrics: { exact_match_rate: expect.closeTo(expectedRate, 5) },
          }),
        ],
      }),
    );
    await sleep(500); // let the duplicate be consumed
    for (const row of rows) expect(callsFor(row.question)).toBe(1);
    const lines = (await (await fetch(`${host.url}/api/runs/queued-eval-1/lines?limit=100`)).json()) as {
      lines: { outputs: { answer: string } }[];
    };
    expect(lines.lines).toHaveLength(24);
    expect(lines.lines.every((line) => line.outputs.answer === REPLY)).toBe(true);
  }, 60_000);

  it("moves a message it cannot process to {queue}-poison after maxDequeueCount deliveries, and stays healthy", async () => {
    const queue = openRunQueue("qa", { AzureWebJobsStorage: azurite.connectionString });
    await queue.queue.sendMessage("this is not a run request");
    const deadline = Date.now() + 30_000;
    let poisoned: string[] = [];
    while (Date.now() < deadline && poisoned.length === 0) {
      const peeked = await queue.poisonQueue.peekMessages({ numberOfMessages: 32 });
      poisoned = peeked.peekedMessageItems.map((item) => item.messageText);
      await sleep(200);
    }
    expect(poisoned).toEqual(["this is not a run request"]);
    expect(host.logs()).toMatch(/failed 5 times and was moved to qa-runs-poison: .*neither JSON nor base64/);
    expect(host.logs().match(/failed \(delivery \d of 5\)/g)).toHaveLength(4);
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
  }, 60_000);

  it("resumes an unfinished run after kill -9 without sending a finished line to the model again", async () => {
    const lines = 40;
    // Slow answers, so that the host dies mid-run.
    for (let i = 0; i < lines; i++) model.enqueue({ delayMs: 60 });
    const response = await fetch(`${host.url}/api/flows/qa/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "crash-1",
        concurrency: 4,
        data: Array.from({ length: lines }, (_, i) => ({ question: `crash question ${i}` })),
      }),
    });
    expect(response.status).toBe(202);
    const crashQuestions = Array.from({ length: lines }, (_, i) => `crash question ${i}`);
    const deadline = Date.now() + 30_000;
    while (crashQuestions.filter((q) => callsFor(q) > 0).length < 14 && Date.now() < deadline)
      await sleep(10);
    await stopHost(host, "SIGKILL");

    const store = new SqliteRunStore({ home: path.join(work, "home") });
    const finished = (await store.getLines("crash-1", { limit: 1000 })).map((line) => line.line_number);
    await store.close();
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(lines);

    host = await startHost();
    const run = await waitForRun("crash-1");
    expect(run).toEqual(
      expect.objectContaining({ status: "Completed", lines: { total: 40, completed: 40, failed: 0 } }),
    );
    expect(host.logs()).toMatch(/resuming flowopsBulkRun instance 'crash-1'/);
    for (const line of finished) expect(callsFor(`crash question ${line}`), `line ${line}`).toBe(1);
    const repeated = crashQuestions.filter((q) => callsFor(q) > 1);
    expect(repeated.length).toBeLessThanOrEqual(4); // at most the lines in flight when it died
    const all = (await (await fetch(`${host.url}/api/runs/crash-1/lines?limit=100`)).json()) as {
      lines: { line_number: number }[];
    };
    expect(all.lines.map((line) => line.line_number)).toEqual(Array.from({ length: lines }, (_, i) => i));
  }, 90_000);
});
