/**
 * Batch throughput: 6,000 lines at concurrency 100 through a one-llm-node flow (real `openai` SDK)
 * against a local OpenAI wire-protocol server answering every call in 200 ms. Target: the whole
 * `flowops run create` command (`bin/flowops.js`, as a user runs it: start-up, the run, its traces,
 * exit) within 1.1× of the ideal ceil(6000/100) × 0.2 s = 12 s. Also printed: the same run in a child
 * process after a warm-up (the engine's steady state, without start-up) and three references. The
 * model server runs here.
 *
 *   node --import tsx bench/batch-throughput.bench.ts [--lines 6000] [--concurrency 100] [--latency 200]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startOpenAIServer } from "../tests/support/vendor-servers/openai-server.js";
import {
  RAW_SDK_CHILD,
  spawnBatch,
  spawnJson,
  verdict,
  writeCodeFlow,
  writeData,
  writeLlmFlow,
} from "./support/batch-bench.js";
import { BIN } from "./support/bench-processes.js";
import { timeCommand } from "./support/timed-command.js";

const { values } = parseArgs({
  options: {
    lines: { type: "string", default: "6000" },
    concurrency: { type: "string", default: "100" },
    latency: { type: "string", default: "200" },
  },
});
const lines = Number(values.lines);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);
const TARGET = 1.1;

const root = mkdtempSync(join(tmpdir(), "flowops-bench-throughput-"));
const server = await startOpenAIServer();
try {
  const warmupLines = concurrency * 2;
  for (let i = 0; i < 4 * (lines + warmupLines); i++) server.enqueue({ delayMs: latencyMs });
  // References, same machine, same moment: the same calls made straight with the openai SDK, on the
  // fetch the flowops providers give it (undici's request API), and on Node's built-in fetch.
  const rawSdk = (fetch: "undici" | "builtin") =>
    spawnJson<{ wallMs: number; cpuMs: number }>(RAW_SDK_CHILD, {
      serverUrl: server.url,
      lines,
      concurrency,
      warmup: warmupLines,
      fetch,
    }).done;
  const raw = await rawSdk("undici");
  const rawBuiltin = await rawSdk("builtin");
  const rawCalls = server.requests.length;
  // Second reference: the batch engine alone, each line a TypeScript node sleeping as long as the model.
  const engine = await spawnBatch({
    home: join(root, "engine"),
    flow: writeCodeFlow(root, { sleepMs: latencyMs }),
    data: writeData(join(root, "engine.jsonl"), lines),
    warmupData: writeData(join(root, "engine-warmup.jsonl"), warmupLines),
    name: "engine_only",
    concurrency,
  }).done;
  const flow = writeLlmFlow(root);
  const data = writeData(join(root, "data.jsonl"), lines);
  const warmupData = writeData(join(root, "warmup.jsonl"), warmupLines);
  const { done } = spawnBatch({
    home: root,
    flow,
    data,
    warmupData,
    name: "throughput",
    concurrency,
    serverUrl: server.url,
  });
  const result = await done;
  const calls = server.requests.length - rawCalls - warmupLines;
  // The subject: the whole command, from spawn to exit, with what a user gets (tracing on, progress).
  const before = server.requests.length;
  const command = await timeCommand(
    [BIN, "run", "create", "--flow", flow, "--data", data, "--concurrency", String(concurrency)].concat([
      "--name",
      "whole_command",
      "--format",
      "json",
    ]),
    {
      env: {
        ...process.env,
        CI: "1",
        FLOWOPS_HOME: join(root, "command-home"),
        FLOWOPS_LLM_MODE: "live",
        FLOWOPS_CONNECTION_BENCH_OPENAI: JSON.stringify({
          type: "open_ai",
          api_key: "sk-bench-local-000000",
          base_url: `${server.url}/v1`,
        }),
      },
    },
  );
  if (command.status !== 0) throw new Error(`flowops run create exited ${command.status}: ${command.stderr}`);
  const commandRun = JSON.parse(command.stdout) as { lines: { completed: number } };
  const commandCalls = server.requests.length - before;
  const ideal = Math.ceil(lines / concurrency) * latencyMs;
  const ratio = command.wallMs / ideal;
  const inProcess = result.wallMs / ideal;
  const ok =
    ratio <= TARGET &&
    commandRun.lines.completed === lines &&
    commandCalls === lines &&
    result.run.lines.completed === lines &&
    calls === lines;
  const cpu = command.userS !== undefined ? `, CPU ${(command.userS + command.systemS!).toFixed(1)} s` : "";
  console.log(
    `whole command (flowops run create): ${lines} lines, concurrency ${concurrency}, model ${latencyMs} ms → ` +
      `${(command.wallMs / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(1)} s), ` +
      `${commandRun.lines.completed} completed, ${commandCalls} model calls${cpu}`,
  );
  console.log(
    `in a warm child (runBatch after a warm-up, no start-up, no tracing): ${(result.wallMs / 1000).toFixed(2)} s, ` +
      `${result.run.lines.completed} completed, ${calls} model calls, child CPU ${(result.cpuMs / 1000).toFixed(1)} s, ` +
      `ratio ${inProcess.toFixed(3)}`,
  );
  console.log(
    `reference: the same ${lines} calls straight through the openai SDK took ${(raw.wallMs / 1000).toFixed(2)} s ` +
      `(CPU ${(raw.cpuMs / 1000).toFixed(1)} s); flowops/SDK ${(result.wallMs / raw.wallMs).toFixed(3)}, ` +
      `SDK/ideal ${(raw.wallMs / ideal).toFixed(3)}`,
  );
  console.log(
    `reference: the same calls through the openai SDK on Node's built-in fetch took ` +
      `${(rawBuiltin.wallMs / 1000).toFixed(2)} s (CPU ${(rawBuiltin.cpuMs / 1000).toFixed(1)} s), ` +
      `SDK/ideal ${(rawBuiltin.wallMs / ideal).toFixed(3)}`,
  );
  console.log(
    `reference: the batch engine alone (a ${latencyMs} ms TypeScript node, no HTTP) took ` +
      `${(engine.wallMs / 1000).toFixed(2)} s (CPU ${(engine.cpuMs / 1000).toFixed(1)} s), ` +
      `engine/ideal ${(engine.wallMs / ideal).toFixed(3)}`,
  );
  console.log(
    `ratio ${ratio.toFixed(3)} (whole command / ideal; target ≤ ${TARGET}; load ${loadavg()[0]!.toFixed(1)}) — ${verdict(ok)}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
