import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import type { FlowExecutor, LineResult } from "../core/execution-types.js";
import type { FlowDefinition } from "../core/flow-definition.js";
import { RunExistsError } from "../stores/errors.js";
import { openSqliteRunStore, type SqliteRunStore } from "../stores/local/sqlite-run-store.js";
import { cancelRun, runBatch } from "./run-batch.js";

/**
 * An honest in-process FlowExecutor: one input `question`, output `answer` = upper-cased question.
 * `boom` throws, `slow:N` waits N ms (honouring the abort signal), every call is counted.
 */
function fakeExecutor(options: { aggregation?: boolean } = {}) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const definition = {
    directory: "/flows/upper",
    file: "/flows/upper/flow.dag.yaml",
    inputs: {
      question: { type: "string" },
      prefix: { type: "string", default: "" },
      expected: { type: "string", default: "" },
    },
    outputs: { answer: { reference: "${upper.output}" } },
    nodes: [],
    node_variants: {},
    additional_includes: [],
    extra: {},
  } as FlowDefinition;
  const executor: FlowExecutor = {
    definition,
    hasAggregation: options.aggregation ?? false,
    async run(inputs, runOptions) {
      const question = String(inputs["question"]);
      calls.push(question);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const slow = /^slow:(\d+)/.exec(question);
        await sleep(slow ? Number(slow[1]) : 2, runOptions?.signal);
        if (question === "boom")
          throw new UserError("NodeFailed", "upper: cannot shout sk-secretsecretsecret", { node: "upper" });
        const answer = `${inputs["prefix"]}${question.toUpperCase()}`;
        return {
          outputs: { answer },
          nodes: {
            upper: { node: "upper", status: "Completed", output: answer, start_time: "", end_time: "" },
          },
          usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
        } satisfies LineResult;
      } finally {
        inFlight--;
      }
    },
    async runNode() {
      throw new Error("not used");
    },
    async runAggregation(lines) {
      const right = lines.filter((l) => l.result?.nodes["upper"]?.output === l.inputs["expected"]).length;
      return {
        metrics: { accuracy: right / lines.length, lines: lines.length },
        nodes: {},
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      };
    },
  };
  return { executor, calls, maxInFlight: () => maxInFlight };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

let home: string;
let store: SqliteRunStore;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "flowops-batch-"));
  store = openSqliteRunStore({ home });
});
afterEach(async () => {
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

function data(questions: string[], extra: (q: string) => Record<string, unknown> = () => ({})): string {
  const path = join(home, `data-${Math.random()}.jsonl`);
  writeFileSync(
    path,
    questions.map((question) => JSON.stringify({ question, ...extra(question) })).join("\n"),
  );
  return path;
}

const questions = (n: number) => Array.from({ length: n }, (_, i) => `q${i}`);

describe("runBatch", () => {
  it("runs every line, records a failing line, and completes the run", async () => {
    const { executor } = fakeExecutor();
    const run = await runBatch({
      store,
      executor,
      flow: "flows/upper",
      data: data(["a", "boom", "c"]),
      name: "r1",
    });
    expect(run).toMatchObject({
      name: "r1",
      status: "Completed",
      lines: { total: 3, completed: 2, failed: 1 },
    });
    expect(run.usage.total_tokens).toBe(6);
    const lines = await store.getLines("r1");
    expect(lines.map((l) => [l.line_number, l.status, l.outputs?.["answer"]])).toEqual([
      [0, "Completed", "A"],
      [1, "Failed", undefined],
      [2, "Completed", "C"],
    ]);
    expect(lines[1]?.error).toEqual({
      code: "NodeFailed",
      message: "upper: cannot shout sk-***",
      node: "upper",
    });
    expect(JSON.stringify(lines)).not.toContain("secretsecret");
  });

  it("writes each line durably: a reopened store reads them back", async () => {
    const { executor } = fakeExecutor();
    await runBatch({
      store,
      executor,
      flow: "flows/upper",
      data: data(questions(40)),
      name: "durable",
      concurrency: 8,
    });
    await store.close();
    store = openSqliteRunStore({ home });
    const lines = await store.getLines("durable");
    expect(lines.map((l) => l.outputs?.["answer"])).toEqual(questions(40).map((q) => q.toUpperCase()));
    expect((await store.getRun("durable"))?.lines).toEqual({ total: 40, completed: 40, failed: 0 });
  });

  it("keeps at most `concurrency` lines in flight", async () => {
    const fake = fakeExecutor();
    await runBatch({ store, executor: fake.executor, flow: "f", data: data(questions(60)), concurrency: 5 });
    expect(fake.maxInFlight()).toBe(5);
  });

  it("fails a line that runs past the line timeout, and goes on", async () => {
    const { executor } = fakeExecutor();
    const run = await runBatch({
      store,
      executor,
      flow: "f",
      data: data(["a", "slow:5000", "b"]),
      name: "t",
      lineTimeoutMs: 100,
    });
    expect(run.lines).toEqual({ total: 3, completed: 2, failed: 1 });
    const [line] = await store.getLines("t", { offset: 1, limit: 1 });
    expect(line?.error?.code).toBe("LineTimeout");
    expect(line?.error?.message).toContain("Line 1 did not finish within 0.1 s");
  });

  it("fails the run (not lines) when the data or the flow cannot be read", async () => {
    const { executor } = fakeExecutor();
    const bad = join(home, "bad.jsonl");
    writeFileSync(bad, '{"question":"a"}\nnot json\n');
    const run = await runBatch({ store, executor, flow: "f", data: bad, name: "bad-data" });
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toContain(`${bad}:2: not valid JSON`);
    const unloadable = await runBatch({
      store,
      executor: async () => {
        throw new UserError("FlowValidation", "flow.dag.yaml:3: unknown node type");
      },
      flow: "f",
      data: data(["a"]),
      name: "bad-flow",
    });
    expect(unloadable).toMatchObject({ status: "Failed", error: { code: "FlowValidation" } });
    expect(await store.getLines("bad-flow")).toEqual([]);
  });

  it("refuses a taken name, and names runs after the flow and variant by default", async () => {
    const { executor } = fakeExecutor();
    await runBatch({ store, executor, flow: "f", data: data(["a"]), name: "taken" });
    await expect(
      runBatch({ store, executor, flow: "f", data: data(["a"]), name: "taken" }),
    ).rejects.toBeInstanceOf(RunExistsError);
    const run = await runBatch({
      store,
      executor,
      flow: "flows/web-classification",
      variant: "${summarize.variant_1}",
      data: data(["a"]),
    });
    expect(run.name).toMatch(/^web_classification_variant_1_\d{8}_\d{6}_\d{6}$/);
  });

  it("cancels on abort, leaving the run Canceled and resumable with every line exactly once", async () => {
    const first = fakeExecutor();
    const controller = new AbortController();
    const input = data(questions(50).map((q, i) => (i >= 10 ? `slow:200 ${q}` : q)));
    const canceled = await runBatch({
      store,
      executor: first.executor,
      flow: "f",
      data: input,
      name: "c1",
      concurrency: 4,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.completed === 12) controller.abort();
      },
    });
    expect(canceled.status).toBe("Canceled");
    const kept = (await store.getLines("c1")).map((l) => l.line_number);
    expect(kept.length).toBeGreaterThanOrEqual(12);
    expect(kept.length).toBeLessThan(50);

    const second = fakeExecutor();
    const resumed = await runBatch({
      store,
      executor: second.executor,
      resumeFrom: "c1",
      name: "c2",
      concurrency: 8,
    });
    expect(resumed).toMatchObject({
      status: "Completed",
      resume_from: "c1",
      lines: { total: 50, completed: 50 },
    });
    const lines = await store.getLines("c2");
    expect(lines.map((l) => l.line_number)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(lines.filter((l) => l.reused_from === "c1").map((l) => l.line_number)).toEqual(kept);
    expect(second.calls).toHaveLength(50 - kept.length);
  });

  it("resumes a run killed mid-way (still Running) or with failed lines: reruns only those", async () => {
    const { executor } = fakeExecutor();
    const input = data(questions(6));
    const now = new Date().toISOString();
    await store.createRun({
      name: "killed",
      status: "Running",
      flow: "flows/upper",
      data: input,
      created_on: now,
      lines: { total: 6, completed: 1, failed: 0 },
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    const line = (n: number, status: "Completed" | "Failed") => ({
      run: "killed",
      line_number: n,
      status,
      inputs: { question: `q${n}` },
      ...(status === "Completed"
        ? { outputs: { answer: `old${n}` } }
        : { error: { code: "X", message: "x" } }),
      start_time: now,
      end_time: now,
    });
    await store.putLine(line(0, "Completed"));
    await store.putLine(line(2, "Failed"));
    await store.putLine(line(3, "Completed"));
    const rerun = fakeExecutor();
    const resumed = await runBatch({ store, executor: rerun.executor, resumeFrom: "killed", name: "healed" });
    expect(resumed.lines).toEqual({ total: 6, completed: 6, failed: 0 });
    expect(rerun.calls.sort()).toEqual(["q1", "q2", "q4", "q5"]);
    expect((await store.getLines("healed")).map((l) => l.outputs?.["answer"])).toEqual([
      "old0",
      "Q1",
      "Q2",
      "old3",
      "Q4",
      "Q5",
    ]);
    void executor;
  });

  it("evaluates a base run: joins its outputs by line number and stores the metrics", async () => {
    const { executor } = fakeExecutor();
    const input = data(["a", "b", "boom", "d"], (q) => ({ expected: q === "b" ? "wrong" : q.toUpperCase() }));
    await runBatch({ store, executor, flow: "f", data: input, name: "base" });
    const evaluator = fakeExecutor({ aggregation: true });
    const evaluation = await runBatch({
      store,
      executor: evaluator.executor,
      flow: "flows/eval",
      data: input,
      run: "base",
      name: "eval",
      columnMapping: { question: "${run.outputs.answer}", prefix: "" },
    });
    // line 2 failed in the base run, so it fails here too; upper(upper(x)) == upper(x)
    expect(evaluation.lines).toEqual({ total: 4, completed: 3, failed: 1 });
    expect(evaluation.metrics).toEqual({ accuracy: 2 / 3, lines: 3 });
    const [failed] = await store.getLines("eval", { offset: 2, limit: 1 });
    expect(failed?.error?.message).toContain("base run has no completed line");
  });

  it("stops when the run is canceled from elsewhere (flowops run cancel)", async () => {
    const { executor } = fakeExecutor();
    const running = runBatch({
      store,
      executor,
      flow: "f",
      data: data(questions(400).map((q) => `slow:20 ${q}`)),
      name: "remote",
      concurrency: 2,
      counterIntervalMs: 50,
    });
    await sleep(150);
    await cancelRun(store, "remote");
    const run = await running;
    expect(run.status).toBe("Canceled");
    expect(run.lines.completed).toBeLessThan(400);
  });
});
