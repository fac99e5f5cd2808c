/**
 * Crash and resume: a child process runs a batch (llm flow, real openai SDK, local OpenAI wire-protocol
 * server answering in 50 ms) and is killed with SIGKILL half-way; a second child resumes it with
 * `resumeFrom`. Targets: the resumed run holds every line exactly once, all completed, and at most
 * `concurrency` lines reached the model twice (counted at the server). Prints the ratio
 * lines-sent-twice / concurrency (≤ 1 passes).
 *
 *   node --import tsx bench/batch-crash-resume.bench.ts [--lines 3000] [--concurrency 50]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { openSqliteRunStore } from "../src/stores/local/sqlite-run-store.js";
import { startOpenAIServer } from "../tests/support/vendor-servers/openai-server.js";
import { lineOfRequest, spawnBatch, verdict, writeData, writeLlmFlow } from "./support/batch-bench.js";

const { values } = parseArgs({
  options: { lines: { type: "string", default: "3000" }, concurrency: { type: "string", default: "50" } },
});
const lines = Number(values.lines);
const concurrency = Number(values.concurrency);
const root = mkdtempSync(join(tmpdir(), "flowops-bench-crash-"));
const server = await startOpenAIServer();
try {
  for (let i = 0; i < lines * 2; i++) server.enqueue({ delayMs: 50 });
  const flow = writeLlmFlow(root);
  const data = writeData(join(root, "data.jsonl"), lines);
  const first = spawnBatch({ home: root, flow, data, name: "crashed", concurrency, serverUrl: server.url });
  first.done.catch(() => undefined); // it is killed on purpose
  while (server.requests.length < lines / 2) await sleep(20);
  first.child.kill("SIGKILL");
  await new Promise((resolve) => first.child.once("exit", resolve));
  const sentBeforeKill = server.requests.length;

  const store = openSqliteRunStore({ home: root });
  const crashed = await store.getRun("crashed");
  const kept = (await store.getLines("crashed")).length;
  await store.close();
  console.log(
    `killed with SIGKILL after ${sentBeforeKill} model calls: run status ${crashed?.status}, ${kept} lines kept`,
  );

  const resumed = await spawnBatch({
    home: root,
    flow,
    name: "resumed",
    resumeFrom: "crashed",
    concurrency,
    serverUrl: server.url,
  }).done;

  const check = openSqliteRunStore({ home: root });
  const final = await check.getLines("resumed");
  await check.close();
  const numbers = final.map((line) => line.line_number);
  const exactlyOnce = numbers.length === lines && numbers.every((n, i) => n === i);
  const allCompleted = final.every((line) => line.status === "Completed");
  const reused = final.filter((line) => line.reused_from === "crashed").length;
  const sends = new Map<number, number>();
  for (const request of server.requests) {
    const line = lineOfRequest(request.body);
    if (line !== undefined) sends.set(line, (sends.get(line) ?? 0) + 1);
  }
  const sentTwice = [...sends.values()].filter((count) => count > 1).length;
  const unsent = lines - sends.size;
  console.log(
    `resumed: ${resumed.run.status}, ${final.length} lines (${reused} reused, ${final.length - reused} rerun), ` +
      `every line exactly once: ${exactlyOnce}, all completed: ${allCompleted}, never sent: ${unsent}`,
  );
  const ratio = sentTwice / concurrency;
  const ok = exactlyOnce && allCompleted && unsent === 0 && sentTwice <= concurrency;
  console.log(
    `lines sent to the model twice: ${sentTwice} (concurrency ${concurrency}); ratio ${ratio.toFixed(3)} (target ≤ 1) — ${verdict(ok)}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
