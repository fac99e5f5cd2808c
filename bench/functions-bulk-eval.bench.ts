/**
 * A 5,000-line bulk evaluation through the local Functions host — a message on the flow's queue
 * (Azurite), the durable orchestration fanning chunks out to activities, then the exact-match
 * evaluation and its metrics — against the same run and evaluation through the batch engine that
 * `flowops run create` uses (`runBatch`, then `runBatch --run` for the evaluation) at the same
 * concurrency. The host's time runs from sending the message to the run reported Completed; the
 * batch's from its first to its last store write. Target: host ≤ 1.2 × batch. Each side runs in its
 * own process against the same local OpenAI-wire model server (its own process, fixed latency).
 *
 *   node --import tsx bench/functions-bulk-eval.bench.ts [--lines 5000] [--concurrency 32] [--latency 20]
 */

import type { ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FlowCatalog } from "../src/app/flow-catalog.js";
import { runBatch } from "../src/runs/run-batch.js";
import { openAzureBlobStore, openRunQueue } from "../src/stores/azure/index.js";
import { SqliteRunStore } from "../src/stores/local/sqlite-run-store.js";
import { startAzurite } from "../tests/support/azurite.js";
import { writeAskFlow } from "../tests/support/test-flows.js";
import { CLI, ROOT, serveModel, startChild } from "./support/bench-processes.js";

const { values: args } = parseArgs({
  options: {
    role: { type: "string", default: "bench" },
    lines: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "32" },
    latency: { type: "string", default: "20" },
    work: { type: "string" },
  },
});
const THIS_FILE = fileURLToPath(import.meta.url);
const TARGET = 1.2;
const REPLY = "Paris";
// biome-ignore lint/suspicious/noTemplateCurlyInString: column-mapping syntax
const EVALUATION_MAPPING = { groundtruth: "${data.expected}", prediction: "${run.outputs.answer}" };

if (args.role === "model") await serveModel(Number(args.latency), REPLY);
else if (args.role === "batch") await batch(args.work!);
else await bench();

/** The baseline, in its own process: the flow over the data, then the evaluation over that run. */
async function batch(work: string): Promise<void> {
  const store = new SqliteRunStore({ home: path.join(work, "batch-home") });
  const flows = new FlowCatalog(path.join(work, "flows"), process.env);
  const data = path.join(work, "data.jsonl");
  const concurrency = Number(args.concurrency);
  const [ask, exact] = await Promise.all([flows.load("ask"), flows.load("exact-match")]);
  const started = performance.now();
  const run = await runBatch({
    store,
    executor: ask.executor,
    flow: flows.folder("ask"),
    data,
    name: "batch",
    concurrency,
  });
  const evaluation = await runBatch({
    store,
    executor: exact.executor,
    flow: flows.folder("exact-match"),
    data,
    run: "batch",
    columnMapping: EVALUATION_MAPPING,
    name: "batch-eval",
    concurrency,
  });
  const ms = performance.now() - started;
  await store.close();
  process.stdout.write(`${JSON.stringify({ ms, lines: run.lines, metrics: evaluation.metrics })}\n`);
}

async function bench(): Promise<void> {
  const lines = Number(args.lines);
  const concurrency = Number(args.concurrency);
  const work = mkdtempSync(path.join(tmpdir(), "flowops-bench-bulk-"));
  const flow = path.join(work, "flows", "ask");
  writeAskFlow(flow, { connection: "bench_model", system: "Answer in one word." });
  symlinkSync(path.join(ROOT, "flows/evaluators/exact-match"), path.join(work, "flows", "exact-match"));
  const rows = Array.from({ length: lines }, (_, i) => ({
    question: `What is the capital of country ${i}?`,
    expected: i % 4 === 0 ? "London" : REPLY,
  }));
  const jsonl = `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;
  writeFileSync(path.join(work, "data.jsonl"), jsonl);
  const expectedRate = rows.filter((row) => row.expected === REPLY).length / lines;

  copyFileSync(path.join(ROOT, "host.json"), path.join(work, "host.json"));
  const children: ChildProcess[] = [];
  const azurite = await startAzurite();
  try {
    const model = await startChild(
      [THIS_FILE, "--role", "model", "--latency", args.latency],
      process.env,
      /listening on (\S+)/,
    );
    children.push(model.child);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env["PATH"],
      FLOWOPS_LLM_MODE: "live",
      FLOWOPS_CONNECTION_BENCH_MODEL: JSON.stringify({
        type: "open_ai",
        api_key: "sk-bench",
        base_url: `${model.match}/v1`,
      }),
      AzureWebJobsStorage: azurite.connectionString,
      BENCH_CWD: work,
    };

    // 1. The batch engine (what `flowops run create` runs), in its own process.
    const baseline = await startChild(
      [THIS_FILE, "--role", "batch", "--work", work, "--concurrency", String(concurrency)],
      { ...env, FLOWOPS_HOME: path.join(work, "batch-home") },
      /^(\{.*\})$/m,
      { stdoutOnly: true },
    );
    const batchResult = JSON.parse(baseline.match) as {
      ms: number;
      lines: unknown;
      metrics: Record<string, number>;
    };

    // 2. The local host: the data registered as an asset blob, the request as a queue message.
    const host = await startChild(
      [CLI, "start", "--port", "0", "--flows", path.join(work, "flows")],
      // `run create` records no spans while lines run (its tracer is set up after): neither does the host here.
      {
        ...env,
        FLOWOPS_HOME: path.join(work, "host-home"),
        FLOWOPS_TRACING: "off",
        FLOWOPS_DEBUG_ACTIVITIES: process.env["BENCH_DEBUG"] ?? "",
      },
      /listening on (http:\/\/\S+)/,
    );
    children.push(host.child);
    // A warm host, as a deployed app is: both flows loaded (the batch side loads its flows untimed too).
    for (const flow of ["ask", "exact-match"]) await fetch(`${host.match}/api/flows/${flow}/swagger.json`);
    const blobs = await openAzureBlobStore({
      AzureWebJobsStorage: azurite.connectionString,
    }).ensureContainer();
    await blobs.put("data/bench-questions/1.jsonl", jsonl);
    const queue = openRunQueue("ask", { AzureWebJobsStorage: azurite.connectionString });
    const started = performance.now();
    await queue.send({
      name: "queued",
      data: "bench-questions:1",
      concurrency,
      evaluations: [{ flow: "exact-match", column_mapping: EVALUATION_MAPPING }],
    });
    let status: { status: string; lines: unknown; metrics: Record<string, number> } | undefined;
    const deadline = Date.now() + 600_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the queued run did not finish: ${JSON.stringify(status)}`);
      const response = await fetch(`${host.match}/api/runs/queued`);
      if (response.status === 200) {
        status = (await response.json()) as typeof status;
        if (status!.status === "Completed" || status!.status === "Failed") break;
      }
      await sleep(100);
    }
    const hostMs = performance.now() - started;
    const ratio = hostMs / batchResult.ms;
    const hostRate = status!.metrics["exact-match.exact_match_rate"];
    console.log(
      `${lines} lines + exact-match evaluation, concurrency ${concurrency}, model answers in ${args.latency} ms`,
    );
    console.log(
      `batch engine (run create)   ${(batchResult.ms / 1000).toFixed(2)} s  lines ${JSON.stringify(batchResult.lines)}  exact_match_rate ${batchResult.metrics["exact_match_rate"]}`,
    );
    console.log(
      `local host via the queue    ${(hostMs / 1000).toFixed(2)} s  lines ${JSON.stringify(status!.lines)}  exact_match_rate ${hostRate}`,
    );
    const correct =
      status!.status === "Completed" &&
      Math.abs((hostRate ?? -1) - expectedRate) < 1e-4 &&
      Math.abs((batchResult.metrics["exact_match_rate"] ?? -1) - expectedRate) < 1e-4;
    const pass = correct && ratio <= TARGET;
    console.log(
      `time ratio host/batch: ${ratio.toFixed(3)} (target ≤ ${TARGET}; metrics ${correct ? "match" : "DIFFER"}) — ${pass ? "PASS" : "FAIL"}`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await azurite.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
