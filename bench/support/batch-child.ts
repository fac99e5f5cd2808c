/** Runs one batch in this process (a child of a benchmark) and prints its result as JSON. */

import { createEnvConnectionStore } from "../../src/connections/env-connection-store.js";
import { createFlowExecutor, loadFlowDefinition } from "../../src/core/index.js";
import { createModelPort } from "../../src/providers/create-model-port.js";
import { runBatch } from "../../src/runs/index.js";
import { openSqliteRunStore } from "../../src/stores/local/sqlite-run-store.js";
import type { ChildArgs } from "./batch-bench.js";

const args = JSON.parse(process.argv[2]!) as ChildArgs;
const store = openSqliteRunStore({ home: args.home });
const models = createModelPort({
  connections: createEnvConnectionStore({
    FLOWOPS_CONNECTION_BENCH_OPENAI: JSON.stringify({
      type: "open_ai",
      api_key: "sk-bench-local-000000",
      base_url: `${args.serverUrl ?? "http://127.0.0.1:9"}/v1`,
    }),
  }),
  mode: "live",
  ...(args.retry ? { retry: args.retry } : {}),
});
const load = async (flow: string) => createFlowExecutor(await loadFlowDefinition(flow), { models });
if (args.warmupData) {
  // Loads every module (flow engine, SDK, store) and warms the JIT before the timed run.
  await runBatch({
    store,
    executor: load,
    flow: args.flow,
    data: args.warmupData,
    name: `${args.name}_warmup`,
    concurrency: args.concurrency,
  });
}
const started = performance.now();
const cpuBefore = process.cpuUsage();
const run = await runBatch({
  store,
  executor: load,
  flow: args.flow,
  ...(args.data ? { data: args.data } : {}),
  name: args.name,
  concurrency: args.concurrency,
  ...(args.resumeFrom ? { resumeFrom: args.resumeFrom } : {}),
});
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
await store.close();
process.stdout.write(`${JSON.stringify({ run, wallMs, cpuMs, maxRssKb: process.resourceUsage().maxRSS })}\n`);
