/**
 * The reference for the throughput benchmark: the same calls made straight with the `openai` SDK (no
 * flow, no store), `concurrency` at a time, in a child process like the batch run. Prints JSON.
 * `fetch: "undici"` gives the SDK the same fetch as the flowops providers use by default
 * (`createUndiciFetch`); `"builtin"` leaves the SDK on Node's WHATWG fetch (what a plain SDK user gets).
 */
import OpenAI from "openai";
import { createUndiciFetch } from "../../src/providers/openai/create-undici-fetch.js";

const { serverUrl, lines, concurrency, warmup, fetch } = JSON.parse(process.argv[2]!) as {
  serverUrl: string;
  lines: number;
  concurrency: number;
  warmup: number;
  fetch?: "undici" | "builtin";
};
const client = new OpenAI({
  apiKey: "sk-bench-local-000000",
  baseURL: `${serverUrl}/v1`,
  maxRetries: 0,
  ...(fetch === "undici" ? { fetch: createUndiciFetch() } : {}),
});

async function callAll(count: number, offset: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = offset + next++;
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        max_tokens: 16,
        messages: [
          { role: "system", content: "Answer in one word." },
          { role: "user", content: `question ${i}` },
        ],
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

await callAll(warmup, 1_000_000);
const started = performance.now();
const cpuBefore = process.cpuUsage();
await callAll(lines, 0);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(`${JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
