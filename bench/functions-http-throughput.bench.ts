/**
 * HTTP scoring through the local Functions host (`flowops start`, POST /api/flows/{flow}) against
 * `flowops flow serve` (POST /score) on the same one-llm-node flow and load: autocannon keep-alive
 * clients against each server in turn (serve, host, serve, host, after a warm-up of both), a local
 * OpenAI-wire model server answering after a fixed delay. Target: host throughput ≥ 95% of serve's.
 * Every server is its own process, run from the TypeScript sources the same way (tsx).
 *
 *   node --import tsx bench/functions-http-throughput.bench.ts [--connections 200] [--duration 8] [--latency 200]
 */

import type { ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startAzurite } from "../tests/support/azurite.js";
import { writeAskFlow } from "../tests/support/test-flows.js";
import { CLI, ROOT, serveModel, startChild } from "./support/bench-processes.js";
import { loadTest } from "./support/load-test.js";

const { values: args } = parseArgs({
  options: {
    role: { type: "string", default: "bench" },
    connections: { type: "string", default: "200" },
    duration: { type: "string", default: "8" },
    latency: { type: "string", default: "200" },
  },
});
const THIS_FILE = fileURLToPath(import.meta.url);
const TARGET = 0.95;

if (args.role === "model") await serveModel(Number(args.latency));
else await bench();

async function load(url: string, body: string, seconds: number) {
  const result = await loadTest(url, body, { connections: Number(args.connections), seconds });
  return { requests: result.requests, rps: result.averageRps, p50: result.p50, failed: result.failed };
}

async function bench(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), "flowops-bench-http-"));
  const flows = path.join(work, "flows");
  const flow = path.join(flows, "ask");
  writeAskFlow(flow, { connection: "bench_model", system: "Answer in one word." });
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
      FLOWOPS_HOME: path.join(work, "home"),
      FLOWOPS_LLM_MODE: "live",
      FLOWOPS_CONNECTION_BENCH_MODEL: JSON.stringify({
        type: "open_ai",
        api_key: "sk-bench",
        base_url: `${model.match}/v1`,
      }),
      AzureWebJobsStorage: azurite.connectionString,
      BENCH_CWD: work,
    };
    const serve = await startChild(
      [CLI, "flow", "serve", "--source", flow, "--port", "0"],
      env,
      / at (http:\/\/\S+) \(/,
    );
    children.push(serve.child);
    const host = await startChild(
      [CLI, "start", "--port", "0", "--flows", flows],
      { ...env },
      /listening on (http:\/\/\S+)/,
    );
    children.push(host.child);
    const targets = { serve: `${serve.match}/score`, host: `${host.match}/api/flows/ask` };
    const body = JSON.stringify({ question: "What is the capital of France?" });
    for (const url of Object.values(targets)) await load(url, body, 3); // warm-up
    const seconds = Number(args.duration);
    const rounds = {
      serve: [] as Awaited<ReturnType<typeof load>>[],
      host: [] as Awaited<ReturnType<typeof load>>[],
    };
    for (let round = 0; round < 2; round++) {
      rounds.serve.push(await load(targets.serve, body, seconds));
      rounds.host.push(await load(targets.host, body, seconds));
    }
    const total = (runs: Awaited<ReturnType<typeof load>>[]) => ({
      requests: runs.reduce((sum, run) => sum + run.requests, 0),
      failed: runs.reduce((sum, run) => sum + run.failed, 0),
      p50: Math.max(...runs.map((run) => run.p50)),
      rps: runs.reduce((sum, run) => sum + run.rps, 0) / runs.length,
    });
    const served = total(rounds.serve);
    const hosted = total(rounds.host);
    const ratio = hosted.requests / served.requests;
    console.log(
      `load: ${args.connections} keep-alive clients, model answers in ${args.latency} ms, 2 × ${seconds} s per server (interleaved)`,
    );
    console.log(
      `flow serve  POST /score          ${served.rps.toFixed(0)} req/s  p50 ${served.p50} ms  failed ${served.failed}`,
    );
    console.log(
      `local host  POST /api/flows/ask  ${hosted.rps.toFixed(0)} req/s  p50 ${hosted.p50} ms  failed ${hosted.failed}`,
    );
    const pass = ratio >= TARGET && hosted.failed === 0;
    console.log(
      `throughput ratio host/serve: ${ratio.toFixed(3)} (target ≥ ${TARGET}) — ${pass ? "PASS" : "FAIL"}`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await azurite.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
