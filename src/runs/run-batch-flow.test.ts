import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeAskFlow } from "../../tests/support/test-flows.js";
import { startOpenAIServer } from "../../tests/support/vendor-servers/openai-server.js";
import type { VendorServer } from "../../tests/support/vendor-servers/scripted-server.js";
import { createEnvConnectionStore } from "../connections/env-connection-store.js";
import { createFlowExecutor, loadFlowDefinition } from "../core/index.js";
import type { ModelPort } from "../core/model-port.js";
import { createModelPort } from "../providers/index.js";
import { openSqliteRunStore, type SqliteRunStore } from "../stores/local/sqlite-run-store.js";
import { runBatch } from "./run-batch.js";

/** Batch runs through the real engine: TypeScript node flows, an evaluation flow, and an llm flow. */

let home: string;
let store: SqliteRunStore;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "flowops-batch-flow-"));
  store = openSqliteRunStore({ home });
});
afterEach(async () => {
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

function write(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const noModels: ModelPort = {
  invoke: () => Promise.reject(new Error("no model in this flow")),
  stream: () => {
    throw new Error("no model in this flow");
  },
};

function loader(models: ModelPort) {
  return async (flow: string) => createFlowExecutor(await loadFlowDefinition(flow), { models });
}

function shoutFlow(): string {
  const dir = join(home, "shout");
  write(
    join(dir, "flow.dag.yaml"),
    `inputs:
  question:
    type: string
outputs:
  answer:
    type: string
    reference: \${shout.output}
nodes:
  - name: shout
    type: typescript
    source:
      type: code
      path: shout.ts
    inputs:
      text: \${inputs.question}
`,
  );
  write(
    join(dir, "shout.ts"),
    `export default function shout({ text }: { text: string }): string {
  if (text === "boom") throw new TypeError("cannot shout boom");
  return text.toUpperCase();
}
`,
  );
  return dir;
}

function exactMatchEvaluation(): string {
  const dir = join(home, "eval-exact");
  write(
    join(dir, "flow.dag.yaml"),
    `inputs:
  answer:
    type: string
  expected:
    type: string
outputs:
  grade:
    type: bool
    reference: \${grade.output}
nodes:
  - name: grade
    type: typescript
    source:
      type: code
      path: grade.ts
    inputs:
      answer: \${inputs.answer}
      expected: \${inputs.expected}
  - name: accuracy
    type: typescript
    source:
      type: code
      path: accuracy.ts
    inputs:
      grades: \${grade.output}
    aggregation: true
`,
  );
  write(
    join(dir, "grade.ts"),
    `export default ({ answer, expected }: { answer: string; expected: string }) => answer === expected;\n`,
  );
  write(
    join(dir, "accuracy.ts"),
    `export default function accuracy(
  { grades }: { grades: boolean[] },
  context: { logMetric(name: string, value: number): void },
) {
  const rate = grades.filter(Boolean).length / grades.length;
  context.logMetric("accuracy", rate);
  return rate;
}
`,
  );
  return dir;
}

describe("runBatch with the flow engine", () => {
  it("runs a TypeScript flow, then evaluates that run joined by line number", async () => {
    const data = write(
      join(home, "data.csv"),
      "question,expected\nhello,HELLO\nboom,BOOM\nwhy,nope\nok,OK\n",
    );
    const base = await runBatch({ store, executor: loader(noModels), flow: shoutFlow(), data, name: "base" });
    expect(base).toMatchObject({ status: "Completed", lines: { total: 4, completed: 3, failed: 1 } });
    const [failed] = await store.getLines("base", { offset: 1, limit: 1 });
    expect(failed?.error).toMatchObject({ node: "shout" });
    expect(failed?.error?.message).toContain("cannot shout boom");

    const evaluation = await runBatch({
      store,
      executor: loader(noModels),
      flow: exactMatchEvaluation(),
      data,
      run: "base",
      columnMapping: { answer: "${run.outputs.answer}", expected: "${data.expected}" },
      name: "eval",
    });
    expect(evaluation).toMatchObject({ status: "Completed", lines: { total: 4, completed: 3, failed: 1 } });
    expect(evaluation.metrics).toEqual({ accuracy: 2 / 3 });
    expect((await store.getLines("eval")).map((l) => l.outputs?.["grade"] ?? null)).toEqual([
      true,
      null,
      false,
      true,
    ]);
  });

  it("fails the run, not lines, when the flow does not load", async () => {
    const dir = join(home, "broken");
    write(
      join(dir, "flow.dag.yaml"),
      "inputs: {}\noutputs:\n  a:\n    reference: ${nowhere.output}\nnodes: []\n",
    );
    const run = await runBatch({
      store,
      executor: loader(noModels),
      flow: dir,
      data: write(join(home, "d.jsonl"), "{}\n"),
      name: "broken",
    });
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toContain("nowhere");
  });
});

describe("runBatch against an OpenAI wire-protocol server that injects faults", () => {
  let server: VendorServer;
  beforeAll(async () => {
    server = await startOpenAIServer();
  });
  afterAll(() => server.close());

  it("loses no line when 20% of model calls fail with 429 (retry-after), 500 or a dropped connection", async () => {
    const dir = writeAskFlow(join(home, "ask"), { connection: "local_openai", system: "Answer briefly." });
    const lines = 50;
    const faults = [
      { status: 429, headers: { "retry-after": "0.05" } },
      { status: 500 },
      { drop: true as const },
    ];
    for (let i = 0; i < lines; i++) {
      server.enqueue(i % 5 === 0 ? faults[(i / 5) % 3]! : { reply: { text: `answer ${i}` } });
    }
    const models = createModelPort({
      connections: createEnvConnectionStore({
        FLOWOPS_CONNECTION_LOCAL_OPENAI: JSON.stringify({
          type: "open_ai",
          api_key: "sk-local-test-key-000",
          base_url: `${server.url}/v1`,
        }),
      }),
      mode: "live",
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const data = write(
      join(home, "questions.jsonl"),
      Array.from({ length: lines }, (_, i) => JSON.stringify({ question: `question ${i}` })).join("\n"),
    );
    const run = await runBatch({
      store,
      executor: loader(models),
      flow: dir,
      data,
      name: "faulty",
      concurrency: 8,
    });
    expect(run).toMatchObject({ status: "Completed", lines: { total: lines, completed: lines, failed: 0 } });
    expect(run.usage.total_tokens).toBeGreaterThan(0);
    const stored = await store.getLines("faulty");
    expect(stored.map((l) => l.line_number)).toEqual(Array.from({ length: lines }, (_, i) => i));
    expect(stored.every((l) => typeof l.outputs?.["answer"] === "string")).toBe(true);
    expect(server.requests.length).toBe(lines + 10); // every fault was retried once
  });
});
