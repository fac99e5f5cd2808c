/**
 * Faults: a batch (llm flow, real openai SDK) against a local OpenAI wire-protocol server where 20% of
 * model calls fail, in turn with 429 + `retry-after`, 500, or a connection dropped mid-body. Target: no
 * line lost: every line is in the run exactly once and completed (the providers' retries absorb the
 * faults). Prints lines kept / lines in the data (target 1.0) and, as context, the wall time against a
 * fault-free run of the same size measured just before.
 *
 *   node --import tsx bench/batch-faults.bench.ts [--lines 2000] [--concurrency 50] [--rate 0.2]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openSqliteRunStore } from "../src/stores/local/sqlite-run-store.js";
import { startOpenAIServer } from "../tests/support/vendor-servers/openai-server.js";
import type { ScriptItem } from "../tests/support/vendor-servers/scripted-server.js";
import { spawnBatch, verdict, writeData, writeLlmFlow } from "./support/batch-bench.js";

const { values } = parseArgs({
  options: {
    lines: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "50" },
    rate: { type: "string", default: "0.2" },
  },
});
const lines = Number(values.lines);
const concurrency = Number(values.concurrency);
const rate = Number(values.rate);
const latencyMs = 20;
const faults: ScriptItem[] = [
  { status: 429, headers: { "retry-after": "0.1" }, message: "Rate limit reached, retry after 0.1 s" },
  { status: 500, message: "The server had an error while processing your request." },
  { drop: true },
];

// A fixed pseudo-random sequence, so every invocation injects the same faults.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const root = mkdtempSync(join(tmpdir(), "flowops-bench-faults-"));
const server = await startOpenAIServer();
try {
  const flow = writeLlmFlow(root);
  const data = writeData(join(root, "data.jsonl"), lines);
  const retry = { baseDelayMs: 50, maxDelayMs: 500, maxAttempts: 6 };

  for (let i = 0; i < lines; i++) server.enqueue({ delayMs: latencyMs });
  const clean = await spawnBatch({
    home: root,
    flow,
    data,
    name: "clean",
    concurrency,
    serverUrl: server.url,
    retry,
  }).done;
  const cleanCalls = server.requests.length;

  let injected = 0;
  for (let i = 0; i < lines * 2; i++) {
    if (random() < rate) server.enqueue(faults[injected++ % faults.length]!);
    else server.enqueue({ delayMs: latencyMs });
  }
  const faulty = await spawnBatch({
    home: root,
    flow,
    data,
    name: "faulty",
    concurrency,
    serverUrl: server.url,
    retry,
  }).done;
  const calls = server.requests.length - cleanCalls;
  const failedCalls = calls - lines;

  const store = openSqliteRunStore({ home: root });
  const kept = await store.getLines("faulty");
  await store.close();
  const numbers = kept.map((line) => line.line_number);
  const exactlyOnce = numbers.length === lines && numbers.every((n, i) => n === i);
  const completed = kept.filter((line) => line.status === "Completed").length;
  const ratio = completed / lines;
  console.log(
    `${lines} lines, concurrency ${concurrency}: ${calls} model calls of which ${failedCalls} failed ` +
      `(${((100 * failedCalls) / calls).toFixed(1)}%: 429 with retry-after, 500, dropped connections)`,
  );
  console.log(
    `run ${faulty.run.status}: ${kept.length} lines stored, ${completed} completed, every line exactly once: ${exactlyOnce}; ` +
      `time ${(faulty.wallMs / 1000).toFixed(1)} s vs ${(clean.wallMs / 1000).toFixed(1)} s without faults ` +
      `(${(faulty.wallMs / clean.wallMs).toFixed(2)}×)`,
  );
  for (const line of kept.filter((l) => l.status !== "Completed").slice(0, 3))
    console.log(`line ${line.line_number} ${line.status}: ${line.error?.code} ${line.error?.message}`);
  const ok = exactlyOnce && completed === lines && failedCalls / calls >= rate * 0.8;
  console.log(
    `ratio ${ratio.toFixed(3)} (completed lines / lines; target 1.0, no line lost) — ${verdict(ok)}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
