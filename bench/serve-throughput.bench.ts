/**
 * `flow serve` throughput: 500 concurrent keep-alive clients for ~10 s straight against a local
 * OpenAI-wire model server that answers in 1 s, then the same load against `flowops flow serve` of a
 * one-llm-node flow pointing at that server. Targets: throughput ratio ≥ 0.97, p50 within 5%, no failed
 * request. Each server runs in its own process; the load generator (autocannon) runs in this one.
 *
 * On a shared machine one 10 s window is at the mercy of whatever else runs, so both sides are warmed up
 * with the full load, then measured `--rounds` times alternately (model server, flow serve, model server,
 * flow serve...), and each side's best round is compared. Every round is printed, with the load average.
 *
 *   node --import tsx bench/serve-throughput.bench.ts [--connections 500] [--duration 10] [--latency 1000] [--rounds 2] [--workers 1] [--no-build]
 */
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BIN, build, cpuTimeMs, serveModel, startChild, stopChild } from "./support/bench-processes.js";
import { type LoadResult, loadTest } from "./support/load-test.js";

const { values: args } = parseArgs({
  options: {
    role: { type: "string", default: "bench" },
    connections: { type: "string", default: "500" },
    duration: { type: "string", default: "10" },
    latency: { type: "string", default: "1000" },
    rounds: { type: "string", default: "2" },
    "no-build": { type: "boolean", default: false },
    workers: { type: "string", default: "1" },
  },
});
const THIS_FILE = fileURLToPath(import.meta.url);

const targets = { throughput: 0.97, p50: 1.05 };

/** The model server: this file in its own process (`--role model`), announcing its URL on stdout. */
function startModelServer(latencyMs: string): Promise<{ match: string; child: ChildProcess }> {
  return startChild(
    [THIS_FILE, "--role", "model", "--latency", latencyMs],
    process.env,
    /listening on (\S+)/,
  );
}

/**
 * `flowops flow serve --port 0` as users run it, the build (`bin/flowops.js`: `npm run build`, run by
 * `npm ci`), not the sources through tsx; its URL is read from its log line on stderr.
 */
function startFlowServe(
  source: string,
  env: NodeJS.ProcessEnv,
): Promise<{ match: string; child: ChildProcess }> {
  const argv = ["flow", "serve", "--source", source, "--port", "0", "--workers", args.workers!];
  return startChild([BIN, ...argv], env, /serving .* at (http:\/\/\S+)/, { tsx: false });
}

const load = (url: string, body: unknown, connections: number, seconds: number): Promise<LoadResult> =>
  loadTest(url, body, { connections, seconds });

interface Measured extends LoadResult {
  /** CPU the measured server (and its workers) spent per successful request. */
  cpuPerRequest: number | undefined;
  /** The 1-minute load average when the round ended: how busy the machine was. */
  load: string;
}

async function measure(
  pid: number | undefined,
  url: string,
  body: unknown,
  connections: number,
  duration: number,
): Promise<Measured> {
  const before = cpuTimeMs(pid);
  const result = await load(url, body, connections, duration);
  const after = cpuTimeMs(pid);
  const cpuPerRequest =
    before !== undefined && after !== undefined ? (after - before) / Math.max(result.ok, 1) : undefined;
  return { ...result, cpuPerRequest, load: loadavg()[0]!.toFixed(1) };
}

async function writeFlow(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(
    path.join(directory, "flow.dag.yaml"),
    `inputs:
  question:
    type: string
outputs:
  answer:
    type: string
    reference: \${answer.output}
nodes:
  - name: answer
    type: llm
    source:
      type: code
      path: answer.jinja2
    inputs:
      model: bench-model
      temperature: 0
      question: \${inputs.question}
    connection: bench_model
    api: chat
`,
  );
  await writeFile(
    path.join(directory, "answer.jinja2"),
    "# system:\nAnswer briefly.\n\n# user:\n{{question}}\n",
  );
}

async function bench(): Promise<number> {
  const connections = Number(args.connections);
  const duration = Number(args.duration);
  const work = await mkdtemp(path.join(tmpdir(), "flowops-bench-serve-"));
  const children: ChildProcess[] = [];
  try {
    if (!args["no-build"]) build();
    const model = await startModelServer(args.latency!);
    children.push(model.child);
    const flowDir = path.join(work, "flow");
    await writeFlow(flowDir);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLOWOPS_HOME: path.join(work, "home"),
      FLOWOPS_LLM_MODE: "live",
      FLOWOPS_CONNECTION_BENCH_MODEL: JSON.stringify({
        type: "open_ai",
        api_key: "sk-bench",
        base_url: `${model.match}/v1`,
      }),
    };
    const flow = await startFlowServe(flowDir, env);
    children.push(flow.child);

    const question = "What is the capital of France?";
    const direct = {
      model: "bench-model",
      temperature: 0,
      messages: [
        { role: "system", content: "Answer briefly." },
        { role: "user", content: question },
      ],
    };
    const modelUrl = `${model.match}/v1/chat/completions`;
    const scoreUrl = `${flow.match}/score`;
    // Warm up both paths with the full load (JIT, both servers' connection pools) before measuring.
    await load(modelUrl, direct, connections, 3);
    await load(scoreUrl, { question }, connections, 3);

    const rounds = Math.max(1, Number(args.rounds));
    const baselines: Measured[] = [];
    const serveds: Measured[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.error(
        `round ${round}/${rounds}: model server straight, ${connections} clients for ${duration} s ...`,
      );
      baselines.push(await measure(model.child.pid, modelUrl, direct, connections, duration));
      console.error(
        `round ${round}/${rounds}: flow serve (one llm node), ${connections} clients for ${duration} s ...`,
      );
      serveds.push(await measure(flow.child.pid, scoreUrl, { question }, connections, duration));
    }
    const row = (name: string, r: Measured) =>
      `${name.padEnd(16)} ${r.rps.toFixed(1).padStart(8)} req/s  p50 ${String(r.p50).padStart(5)} ms  p99 ${String(r.p99).padStart(5)} ms  ok ${r.ok}  failed ${r.failed}  CPU ${r.cpuPerRequest?.toFixed(2) ?? "?"} ms/req  load ${r.load}`;
    for (let i = 0; i < rounds; i++) {
      console.log(row(`model server #${i + 1}`, baselines[i]!));
      console.log(row(`flow serve #${i + 1}`, serveds[i]!));
    }
    const best = (runs: Measured[]) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const baseline = best(baselines);
    const served = best(serveds);
    if (served.cpuPerRequest !== undefined) {
      console.log(`flow serve CPU: ${served.cpuPerRequest.toFixed(2)} ms per request (best round)`);
    }
    const failedServed = serveds.reduce((sum, r) => sum + r.failed, 0);
    const failedBaseline = baselines.reduce((sum, r) => sum + r.failed, 0);

    const throughput = served.rps / baseline.rps;
    const p50 = served.p50 / baseline.p50;
    console.log(row("model server", baseline));
    console.log(row("flow serve", served));
    const checks = [
      {
        name: "throughput ratio",
        value: throughput.toFixed(3),
        pass: throughput >= targets.throughput,
        target: `≥ ${targets.throughput}`,
      },
      { name: "p50 ratio", value: p50.toFixed(3), pass: p50 <= targets.p50, target: `≤ ${targets.p50}` },
      {
        name: "failed requests",
        value: String(failedServed),
        pass: failedServed === 0 && failedBaseline === 0,
        target: "0",
      },
    ];
    for (const check of checks) {
      console.log(`${check.pass ? "PASS" : "FAIL"} ${check.name}: ${check.value} (target ${check.target})`);
    }
    return checks.every((c) => c.pass) ? 0 : 1;
  } finally {
    await Promise.all(children.map(stopChild));
    await rm(work, { recursive: true, force: true });
  }
}

if (args.role === "model") await serveModel(Number(args.latency));
else process.exitCode = await bench();
