// biome-ignore-all lint/suspicious/noExplicitAny: JSON bodies of the API under test.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioFixture, type StudioFixture } from "../../tests/support/studio-fixture.js";
import { setupTelemetry } from "../telemetry/index.js";
import { createStudioApp, type StudioApp } from "./index.js";

let fixture: StudioFixture;
let studio: StudioApp;
let assets: string;

beforeAll(async () => {
  fixture = await createStudioFixture({ runCount: 120 });
  setupTelemetry({ home: fixture.home, env: fixture.env, propagateContext: false });
  assets = mkdtempSync(path.join(tmpdir(), "flowops-studio-assets-"));
  mkdirSync(path.join(assets, "assets"));
  writeFileSync(path.join(assets, "index.html"), "<!doctype html><title>flowops studio</title>");
  writeFileSync(path.join(assets, "assets", "studio.js"), "console.log('studio')");
  studio = createStudioApp({ flows: fixture.flows, runs: fixture.runs, env: fixture.env, assetsDir: assets });
});
afterAll(async () => {
  await studio?.close();
  await fixture?.close();
  rmSync(assets, { recursive: true, force: true });
});

const get = async (url: string) => {
  const response = await studio.app.request(url, { headers: { host: "127.0.0.1:7071" } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const post = (app: StudioApp, url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.app.request(url, {
    method: "POST",
    headers: { host: "127.0.0.1:7071", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** The events of a server-sent events body. */
function events(text: string): { event: string; data: any }[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      return { event, data: JSON.parse(data) };
    });
}

describe("studio flows API", () => {
  it("lists every served flow by name, marking chat flows and counting validation problems", async () => {
    const { status, body } = await get("/api/studio/flows");
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.flows.map((f: any) => [f.name, f]));
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining(["chat", "named-entity-recognition", "exact-match", "broken"]),
    );
    expect(byName.chat).toMatchObject({ chat: true, problems: 0 });
    expect(byName["named-entity-recognition"]).toMatchObject({ chat: false, problems: 0 });
    expect(byName.broken.problems).toBeGreaterThan(0);
  });

  it("gives a flow's DAG (edges from references, variants), its templates and code, and its run variants", async () => {
    const { body } = await get("/api/studio/flows/named-entity-recognition");
    expect(body.graph.edges).toEqual(
      expect.arrayContaining([
        { from: "inputs", to: "NER_LLM", kind: "data" },
        { from: "NER_LLM", to: "cleansing", kind: "data" },
        { from: "cleansing", to: "outputs", kind: "data" },
      ]),
    );
    expect(body.graph.nodes.find((n: any) => n.id === "NER_LLM")).toMatchObject({
      variants: ["variant_0", "variant_1"],
      defaultVariant: "variant_0",
      type: "llm",
    });
    expect(body.variants).toEqual(["${NER_LLM.variant_0}", "${NER_LLM.variant_1}"]);
    const template = body.sources.find((s: any) => s.variant === "variant_1");
    expect(template).toMatchObject({ node: "NER_LLM", file: "NER_LLM_variant_1.jinja2", language: "jinja" });
    expect(template.text).toContain("{{");
    expect(body.sources.find((s: any) => s.node === "cleansing")).toMatchObject({ language: "typescript" });
    expect(body.inputs.entity_type.type).toBe("string");
    expect(body.diagnostics).toEqual([]);
  });

  it("reports a broken flow's validation problems at their line and node", async () => {
    const { status, body } = await get("/api/studio/flows/broken");
    expect(status).toBe(200);
    expect(body.diagnostics.length).toBeGreaterThan(0);
    for (const problem of body.diagnostics) {
      expect(problem.line).toEqual(expect.any(Number));
      expect(problem.file ?? "flow.dag.yaml").not.toContain(fixture.root);
    }
    expect(body.diagnostics.map((d: any) => d.message).join("\n")).toMatch(/missing|txt/);
    expect(body.yaml).toContain("${inputs.txt}");
  });

  it("answers 404 naming the flows for a flow that is not served", async () => {
    const { status, body } = await get("/api/studio/flows/nope");
    expect(status).toBe(404);
    expect(body.error.message).toContain("chat");
  });
});

describe("running a flow from the studio", () => {
  it("streams the run as server-sent events and records a trace under the run id", async () => {
    const response = await post(studio, "/api/studio/flows/chat/run", {
      inputs: { question: "What is Prompt Flow?", chat_history: [] },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const received = events(await response.text());
    expect(received[0]?.event).toBe("start");
    const done = received.find((e) => e.event === "done");
    expect(done?.data.outputs.answer).toEqual(expect.any(String));
    expect(done?.data.outputs.answer.length).toBeGreaterThan(10);
    const chunks = received
      .filter((e) => e.event === "chunk")
      .map((e) => e.data.chunk)
      .join("");
    expect(chunks).toBe(done?.data.outputs.answer);

    const runId = received[0]!.data.run_id;
    const traces = await get(`/api/studio/traces?run=${runId}`);
    expect(traces.body.traces).toHaveLength(1);
    const trace = await get(`/api/studio/traces/${traces.body.traces[0].trace_id}`);
    const names = trace.body.spans.map((s: any) => s.attributes["flowops.node.name"] ?? s.name);
    expect(names).toEqual(["flowops.flow", "chat"]);
    expect(trace.body.spans[1].attributes["flowops.inputs"]).toContain("What is Prompt Flow?");
  });

  it("reports a model answer missing from the recordings as an error event without server paths", async () => {
    const response = await post(studio, "/api/studio/flows/chat/run", {
      inputs: { question: "A question nobody recorded", chat_history: [] },
    });
    const failed = events(await response.text()).find((e) => e.event === "error");
    expect(failed?.data.error.message).toMatch(/recording/i);
    expect(failed?.data.error.message).not.toContain(fixture.root);
  });

  it("runs the variant picked, and reports a bad input as an error event", async () => {
    const response = await post(studio, "/api/studio/flows/named-entity-recognition/run", {
      inputs: {},
      variant: "${NER_LLM.variant_1}",
    });
    const received = events(await response.text());
    const done = received.find((e) => e.event === "done");
    expect(done?.data.outputs.entities).toEqual(expect.any(Array));
    const traces = await get(`/api/studio/traces?run=${received[0]!.data.run_id}`);
    const trace = await get(`/api/studio/traces/${traces.body.traces[0].trace_id}`);
    const model = trace.body.spans.find((s: any) => s.attributes["flowops.node.name"] === "NER_LLM");
    expect(model.attributes["llm.usage.total_tokens"]).toBeGreaterThan(0);
    const bad = await post(studio, "/api/studio/flows/named-entity-recognition/run", {
      inputs: {},
      variant: "no",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toContain("variant");
  });
});

describe("studio runs API", () => {
  it("pages through the runs newest first, with status, progress, lines, tokens and duration", async () => {
    const first = await get("/api/studio/runs?limit=50");
    expect(first.body.runs).toHaveLength(50);
    expect(first.body.more).toBe(true);
    expect(first.body.runs[0]).toMatchObject({
      name: "ner-running",
      status: "Running",
      progress: 0.4,
      lines: { total: 10, completed: 3, failed: 1 },
      tokens: 50,
    });
    expect(first.body.runs[1]).toMatchObject({ name: "ner-main-eval", duration_ms: 4000, run: "ner-main" });
    const last = await get("/api/studio/runs?limit=50&offset=100");
    expect(last.body.runs).toHaveLength(24);
    expect(last.body.more).toBe(false);
    const running = await get("/api/studio/runs?status=Running");
    expect(running.body.runs.map((r: any) => r.name)).toEqual(["ner-running"]);
    expect((await get("/api/studio/runs?status=Bogus")).status).toBe(400);
  });

  it("shows a run with its evaluation runs, and its lines filtered to failures", async () => {
    const detail = await get("/api/studio/runs/ner-main");
    expect(detail.body.evaluations.map((r: any) => r.name)).toEqual(["ner-main-eval"]);
    expect(detail.body.evaluations[0].metrics).toEqual({ exact_match_rate: 0.5 });
    const all = await get("/api/studio/runs/ner-main/lines");
    expect(all.body.lines.map((l: any) => l.line_number)).toEqual([0, 1, 2, 3]);
    const failed = await get("/api/studio/runs/ner-main/lines?status=Failed");
    expect(failed.body.lines.map((l: any) => l.line_number)).toEqual([1, 3]);
    expect(failed.body.lines[0].error.node).toBe("cleansing");
    expect((await get("/api/studio/runs/missing")).status).toBe(404);
  });

  it("compares runs side by side with the report's data", async () => {
    const { body } = await get("/api/studio/compare?runs=ner-main,ner-other");
    expect(body.variants).toEqual(["ner-main", "ner-other"]);
    expect(body.metrics).toEqual(
      expect.arrayContaining([expect.objectContaining({ metric: "exact_match_rate", variant: "ner-main" })]),
    );
    expect(body.lines[0].disagree).toBe(true);
    expect((await get("/api/studio/compare?runs=")).status).toBe(400);
  });
});

describe("studio experiments, registry and endpoints API", () => {
  it("lists the experiments and checks an experiment's gates against the stored runs", async () => {
    const list = await get("/api/studio/experiments");
    expect(list.body.experiments).toEqual([expect.objectContaining({ id: "ner-experiment", name: "ner" })]);
    const { body } = await get("/api/studio/experiments/ner-experiment");
    expect(body.runs.map((r: any) => r.name)).toContain("ner-test-variant_1-entity_match");
    expect(body.gates.length).toBeGreaterThan(0);
    // None of the experiment's runs exist yet: every gate fails, as CI would.
    expect(body.passed).toBe(false);
    expect(body.gates.every((g: any) => g.passed === false && g.actual === undefined)).toBe(true);
  });

  it("passes an experiment's gate once its evaluation run logged a good enough metric", async () => {
    await fixture.runs.createRun({
      name: "ner-test-variant_1-entity_match",
      status: "Completed",
      flow: "flows/evaluators/partial-match",
      run: "ner-test-variant_1",
      created_on: new Date().toISOString(),
      lines: { total: 4, completed: 4, failed: 0 },
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      metrics: { exact_match_rate: 0.75, partial_match_rate: 1 },
      tags: { experiment: "ner", dataset: "test", variant: "variant_1", evaluator: "entity_match" },
    });
    const { body } = await get("/api/studio/experiments/ner-experiment");
    const gate = body.gates.find(
      (g: any) => g.metric === "exact_match_rate" && g.variant === "variant_1" && g.dataset === "test",
    );
    expect(gate).toMatchObject({ passed: true, actual: 0.75 });
    expect(body.runs.find((r: any) => r.name === "ner-test-variant_1-entity_match").status).toBe("Completed");
    expect(body.metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ evaluator: "entity_match", metric: "exact_match_rate", value: 0.75 }),
      ]),
    );
    // The gates over runs not made yet still fail.
    expect(body.passed).toBe(false);
  });

  it("shows registered flow versions with labels, and endpoints with traffic and production metrics", async () => {
    const registry = await get("/api/studio/registry/flows");
    expect(registry.body.flows).toEqual([
      expect.objectContaining({
        name: "chat",
        versions: [
          expect.objectContaining({ version: 2, labels: ["production"], metrics: { exact_match_rate: 0.9 } }),
          expect.objectContaining({ version: 1, labels: [] }),
        ],
      }),
    ]);
    const endpoints = await get("/api/studio/endpoints");
    expect(endpoints.body.endpoints).toEqual([
      expect.objectContaining({
        endpoint: "support",
        traffic: expect.arrayContaining([{ flow: "chat", version: 2, weight: 10 }]),
      }),
    ]);
    const detail = await get("/api/studio/endpoints/support");
    expect(detail.body.versions).toEqual([
      expect.objectContaining({ version: "chat:1", requests: 8, failed: 1, mean_tokens: 15 }),
      expect.objectContaining({ version: "chat:2", requests: 2, failed: 0 }),
    ]);
    expect((await get("/api/studio/endpoints/none")).status).toBe(404);
  });
});

describe("studio serving rules", () => {
  it("serves the UI page for every page address, and its assets", async () => {
    for (const page of ["/", "/flows/chat", "/runs/ner-main"]) {
      const response = await studio.app.request(page, { headers: { host: "localhost:7071" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await response.text()).toContain("flowops studio");
    }
    const script = await studio.app.request("/assets/studio.js", { headers: { host: "localhost" } });
    expect(script.headers.get("content-type")).toContain("javascript");
    const traversal = await studio.app.request("/assets/..%2f..%2fpackage.json", {
      headers: { host: "localhost" },
    });
    expect(await traversal.text()).not.toContain('"name"');
  });

  it("refuses foreign Host headers on loopback, non-JSON POSTs, and POSTs when bound beyond loopback", async () => {
    const rebinding = await studio.app.request("/api/studio/flows", {
      headers: { host: "evil.example:7071" },
    });
    expect(rebinding.status).toBe(403);
    const form = await studio.app.request("/api/studio/flows/chat/run", {
      method: "POST",
      headers: { host: "127.0.0.1", "content-type": "application/x-www-form-urlencoded" },
      body: "inputs=1",
    });
    expect(form.status).toBe(415);
    const shared = createStudioApp({
      flows: fixture.flows,
      runs: fixture.runs,
      env: fixture.env,
      listenHost: "0.0.0.0",
    });
    expect((await shared.app.request("/api/studio/flows", { headers: { host: "studio.lan" } })).status).toBe(
      200,
    );
    const refused = await post(shared, "/api/studio/flows/chat/run", { inputs: {} }, { host: "studio.lan" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe("ReadOnly");
    const enabled = createStudioApp({
      flows: fixture.flows,
      runs: fixture.runs,
      env: fixture.env,
      listenHost: "0.0.0.0",
      allowRuns: true,
    });
    const allowed = await post(enabled, "/api/studio/flows/chat/run", { inputs: {} }, { host: "studio.lan" });
    expect(allowed.status).toBe(200);
    await allowed.text();
  });

  it("answers malformed requests with 4xx, never 5xx", async () => {
    const notJson = await studio.app.request("/api/studio/flows/chat/run", {
      method: "POST",
      headers: { host: "127.0.0.1", "content-type": "application/json" },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
    expect((await post(studio, "/api/studio/flows/chat/run", { inputs: "x" })).status).toBe(400);
    expect((await get("/api/studio/traces/not-a-trace")).status).toBe(400);
    expect((await get(`/api/studio/traces/${"0".repeat(32)}`)).status).toBe(404);
    expect((await get("/api/studio/runs?limit=abc&offset=-3")).status).toBe(200);
    expect((await get("/api/studio/experiments/..%2f..%2fetc")).status).toBe(404);
  });
});
