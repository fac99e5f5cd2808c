// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FlowCatalog } from "../../src/app/flow-catalog.js";
import { openDeploymentStores } from "../../src/deploy/open-deployment-stores.js";
import { openRegistry } from "../../src/registry/open-registry.js";
import { openSqliteRunStore } from "../../src/stores/local/sqlite-run-store.js";
import type { LineRecord, RunRecord, RunStore } from "../../src/stores/run-store.js";

const REPO_FLOWS = path.resolve(import.meta.dirname, "../../flows");

export interface StudioFixture {
  root: string;
  home: string;
  flowsDir: string;
  env: NodeJS.ProcessEnv;
  flows: FlowCatalog;
  runs: RunStore;
  close(): Promise<void>;
}

/**
 * A studio's world in a temporary folder: the repository's example flows and experiment (linked), one
 * broken flow, a FLOWOPS_HOME whose run store holds `runCount` runs (plus a flow run with failed lines
 * and an evaluation run over it), one registered flow with two versions and a label, and an endpoint
 * with a traffic split and logged production requests. Models answer from recordings (replay).
 */
export async function createStudioFixture(options: { runCount?: number } = {}): Promise<StudioFixture> {
  const root = mkdtempSync(path.join(tmpdir(), "flowops-studio-"));
  const home = path.join(root, "home");
  const flowsDir = path.join(root, "flows");
  mkdirSync(flowsDir, { recursive: true });
  for (const name of ["chat", "named-entity-recognition", "evaluators", "experiments"])
    symlinkSync(path.join(REPO_FLOWS, name), path.join(flowsDir, name), "dir");
  mkdirSync(path.join(flowsDir, "broken"));
  writeFileSync(
    path.join(flowsDir, "broken", "flow.dag.yaml"),
    [
      "inputs:",
      "  text:",
      "    type: string",
      "outputs:",
      "  answer:",
      "    reference: ${missing.output}",
      "nodes:",
      "  - name: echo",
      "    type: typescript",
      "    source:",
      "      type: code",
      "      path: echo.ts",
      "    inputs:",
      "      text: ${inputs.txt}",
      "",
    ].join("\n"),
  );
  mkdirSync(path.join(flowsDir, "image-kind"));
  writeFileSync(
    path.join(flowsDir, "image-kind", "flow.dag.yaml"),
    [
      "description: Says what kind of image it was given.",
      "inputs:",
      "  photo:",
      "    type: image",
      "  caption:",
      "    type: string",
      "    default: a photo",
      "  copies:",
      "    type: int",
      "    default: 1",
      "  urgent:",
      "    type: bool",
      "    default: false",
      "outputs:",
      "  kind:",
      "    reference: ${kind.output}",
      "nodes:",
      "  - name: kind",
      "    type: typescript",
      "    source:",
      "      type: code",
      "      path: kind.ts",
      "    inputs:",
      "      photo: ${inputs.photo}",
      "      caption: ${inputs.caption}",
      "      copies: ${inputs.copies}",
      "      urgent: ${inputs.urgent}",
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(flowsDir, "image-kind", "kind.ts"),
    `export default function kind(inputs: { photo: unknown; caption: string; copies: number; urgent: boolean }) {
  const text = typeof inputs.photo === "string" ? inputs.photo : JSON.stringify(inputs.photo);
  const type = /image\\/[a-z]+/.exec(text ?? "")?.[0] ?? "no image";
  return \`\${type} × \${inputs.copies}\${inputs.urgent ? " (urgent)" : ""}: \${inputs.caption}\`;
}
`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, FLOWOPS_HOME: home, FLOWOPS_LLM_MODE: "replay" };
  delete env["FLOWOPS_STORE"];
  delete env["COSMOS_ENDPOINT"];
  delete env["COSMOS_CONNECTION_STRING"];
  const runs = openSqliteRunStore({ home });
  await seedRuns(runs, options.runCount ?? 0);
  seedLineTrace(home);
  await seedRegistryAndEndpoint(env);
  const flows = new FlowCatalog(flowsDir, env);
  return {
    root,
    home,
    flowsDir,
    env,
    flows,
    runs,
    async close() {
      await flows.close();
      await runs.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function run(name: string, created: Date, change: Partial<RunRecord> = {}): RunRecord {
  return {
    name,
    status: "Completed",
    flow: path.join(REPO_FLOWS, "named-entity-recognition"),
    data: path.join(REPO_FLOWS, "named-entity-recognition", "data", "ner-test.jsonl"),
    created_on: created.toISOString(),
    started_on: created.toISOString(),
    ended_on: new Date(created.getTime() + 4_000).toISOString(),
    lines: { total: 2, completed: 2, failed: 0 },
    usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 },
    ...change,
  };
}

function line(
  runName: string,
  lineNumber: number,
  failed: boolean,
  outputs: Record<string, unknown>,
): LineRecord {
  return {
    run: runName,
    line_number: lineNumber,
    status: failed ? "Failed" : "Completed",
    inputs: { text: `text ${lineNumber}`, entity_type: "job title" },
    ...(failed
      ? {
          error: {
            code: "NodeExecutionFailed",
            message: `Node 'cleansing' failed on line ${lineNumber}`,
            node: "cleansing",
          },
        }
      : { outputs }),
    start_time: "2026-01-01T00:00:00.000Z",
    end_time: "2026-01-01T00:00:01.000Z",
  };
}

async function seedRuns(store: RunStore, count: number): Promise<void> {
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < count; i++)
    await store.createRun(run(`bulk-${String(i).padStart(4, "0")}`, new Date(base + i * 1000)));
  const later = base + (count + 10) * 1000;
  await store.createRun(
    run("ner-main", new Date(later), {
      lines: { total: 4, completed: 2, failed: 2 },
      variant: "${NER_LLM.variant_0}",
    }),
  );
  for (let n = 0; n < 4; n++)
    await store.putLine(line("ner-main", n, n % 2 === 1, { entities: [`entity ${n}`] }));
  await store.createRun(
    run("ner-other", new Date(later + 1000), {
      variant: "${NER_LLM.variant_1}",
      lines: { total: 4, completed: 4, failed: 0 },
    }),
  );
  for (let n = 0; n < 4; n++) await store.putLine(line("ner-other", n, false, { entities: [`other ${n}`] }));
  await store.createRun(
    run("ner-main-eval", new Date(later + 2000), {
      flow: path.join(REPO_FLOWS, "evaluators", "exact-match"),
      run: "ner-main",
      metrics: { exact_match_rate: 0.5 },
      tags: { evaluator: "exact-match" },
    }),
  );
  await store.createRun(
    run("ner-running", new Date(later + 3000), {
      status: "Running",
      ended_on: undefined,
      lines: { total: 10, completed: 3, failed: 1 },
    }),
  );
}

/** The spans of `ner-main` line 1 (which failed in its cleansing node), as the local span store keeps them. */
function seedLineTrace(home: string): void {
  const trace = "0af7651916cd43dd8448eb211c80319c";
  const span = (id: string, name: string, start: number, ms: number, extra: Record<string, unknown>) => ({
    trace_id: trace,
    span_id: id,
    name,
    start_time: new Date(Date.parse("2026-01-01T00:00:00Z") + start).toISOString(),
    end_time: new Date(Date.parse("2026-01-01T00:00:00Z") + start + ms).toISOString(),
    duration_ms: ms,
    events: [],
    ...extra,
  });
  const spans = [
    span("b7ad6b7169203331", "flowops.flow", 0, 900, {
      status: "ERROR",
      status_message: "Node 'cleansing' failed on line 1",
      attributes: {
        "flowops.flow.file": path.join(REPO_FLOWS, "named-entity-recognition", "flow.dag.yaml"),
        "flowops.run.id": "ner-main",
        "flowops.line.number": 1,
        "flowops.inputs": JSON.stringify({ text: "text 1", entity_type: "job title" }),
      },
    }),
    span("c7ad6b7169203332", "flowops.node", 10, 700, {
      parent_span_id: "b7ad6b7169203331",
      status: "OK",
      attributes: {
        "flowops.node.name": "NER_LLM",
        "flowops.node.type": "llm",
        "flowops.inputs": JSON.stringify({ text: "text 1" }),
        "flowops.output": JSON.stringify("data scientist"),
        "llm.usage.prompt_tokens": 40,
        "llm.usage.completion_tokens": 4,
        "llm.usage.total_tokens": 44,
      },
    }),
    span("d7ad6b7169203333", "flowops.node", 720, 150, {
      parent_span_id: "b7ad6b7169203331",
      status: "ERROR",
      status_message: "Node 'cleansing' failed on line 1",
      attributes: { "flowops.node.name": "cleansing", "flowops.node.type": "typescript" },
    }),
  ];
  mkdirSync(path.join(home, "traces"), { recursive: true });
  writeFileSync(
    path.join(home, "traces", "2026-01-01.jsonl"),
    `${spans.map((s) => JSON.stringify(s)).join("\n")}\n`,
  );
}

async function seedRegistryAndEndpoint(env: NodeJS.ProcessEnv): Promise<void> {
  const opened = await openRegistry(env);
  try {
    await opened.registry.registerFlow(path.join(REPO_FLOWS, "chat"), { name: "chat" });
    await opened.registry.registerFlow(path.join(REPO_FLOWS, "named-entity-recognition"), {
      name: "chat",
      metrics: { exact_match_rate: 0.9 },
    });
    await opened.registry.label("flow", "chat:2", "production");
  } finally {
    await opened.close();
  }
  const stores = await openDeploymentStores(env);
  try {
    await stores.deployments.append(
      {
        endpoint: "support",
        traffic: [
          { flow: "chat", version: 1, weight: 90 },
          { flow: "chat", version: 2, weight: 10 },
        ],
        action: "deploy",
        updated_on: "2026-01-02T00:00:00.000Z",
        updated_by: "tester",
      },
      0,
    );
    for (let i = 0; i < 10; i++)
      await stores.requests.append({
        endpoint: "support",
        id: `request-${i}`,
        timestamp: new Date(Date.parse("2026-01-02T01:00:00Z") + i * 1000).toISOString(),
        flow: "chat",
        version: i < 8 ? 1 : 2,
        status: i === 3 ? "Failed" : "Completed",
        inputs: { question: "hi" },
        ...(i === 3 ? { error: { code: "X", message: "failed" } } : { outputs: { answer: "hello" } }),
        latency_ms: 100 + i * 10,
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      });
  } finally {
    await stores.close();
  }
}
