/**
 * Shared pieces of the batch benchmarks: a one-llm-node flow (called through the real `openai` SDK via
 * the providers' model port), a generated data file, a child process that runs one batch, and the
 * OpenAI wire-protocol test server (tests/support/vendor-servers) to count what reaches the model.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeAskFlow } from "../../tests/support/test-flows.js";

export const CHILD = fileURLToPath(new URL("./batch-child.ts", import.meta.url));
export const RAW_SDK_CHILD = fileURLToPath(new URL("./raw-sdk-child.ts", import.meta.url));

/** Writes the flow (one llm node, connection `bench_openai`) and returns its folder. */
export function writeLlmFlow(root: string): string {
  return writeAskFlow(join(root, "ask"), { connection: "bench_openai", system: "Answer in one word." });
}

/** A flow of one TypeScript node (no model): isolates the batch engine's own memory and CPU. */
export function writeCodeFlow(root: string, options: { sleepMs?: number } = {}): string {
  const dir = join(root, `echo-${options.sleepMs ?? 1}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "flow.dag.yaml"),
    `inputs:
  question:
    type: string
outputs:
  answer:
    type: string
    reference: \${echo.output}
nodes:
  - name: echo
    type: typescript
    source:
      type: code
      path: echo.ts
    inputs:
      question: \${inputs.question}
`,
  );
  writeFileSync(
    join(dir, "echo.ts"),
    `export default async function echo({ question }: { question: string }): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, ${options.sleepMs ?? 1}));
  return \`answer to \${question}: \${"x".repeat(200)}\`;
}
`,
  );
  return dir;
}

/** `lines` rows `{"question": "question <n>"}` (padded so rows have a realistic size). */
export function writeData(path: string, lines: number): string {
  const rows: string[] = [];
  for (let i = 0; i < lines; i++) {
    rows.push(
      JSON.stringify({ question: `question ${i}`, context: "lorem ipsum dolor sit amet ".repeat(8) }),
    );
  }
  writeFileSync(path, `${rows.join("\n")}\n`);
  return path;
}

/** The line a model request belongs to (from the `question <n>` it carries). */
export function lineOfRequest(body: unknown): number | undefined {
  const text = JSON.stringify(body);
  const match = /question (\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

export interface ChildArgs {
  home: string;
  flow: string;
  data?: string;
  name: string;
  concurrency: number;
  /** The model server (flows with an llm node). */
  serverUrl?: string;
  resumeFrom?: string;
  /** A small data file run first, untimed, to load modules and warm the JIT. */
  warmupData?: string;
  retry?: { baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
}

export interface ChildResult {
  run: {
    status: string;
    lines: { total: number; completed: number; failed: number };
  };
  wallMs: number;
  /** CPU time (user + system) the child spent in the run. */
  cpuMs: number;
  maxRssKb: number;
}

/** Starts a child process running one batch; `done` resolves with what it printed. */
export function spawnBatch(args: ChildArgs): { child: ChildProcess; done: Promise<ChildResult> } {
  return spawnJson<ChildResult>(CHILD, args);
}

/** Runs `script` (TypeScript, through tsx) in a child process with JSON args; resolves its last JSON line. */
export function spawnJson<T>(script: string, args: unknown): { child: ChildProcess; done: Promise<T> } {
  const extra = process.env["FLOWOPS_BENCH_CHILD_FLAGS"]?.split(" ").filter(Boolean) ?? []; // e.g. --cpu-prof
  const child = spawn(process.execPath, [...extra, "--import", "tsx", script, JSON.stringify(args)], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, CI: "1" },
  });
  let out = "";
  child.stdout?.on("data", (chunk) => {
    out += String(chunk);
  });
  const done = new Promise<T>((resolve, reject) => {
    child.on("exit", (code, signal) => {
      if (code === 0) resolve(JSON.parse(out.trim().split("\n").pop()!) as T);
      else reject(new Error(`${script} exited with ${signal ?? code}`));
    });
  });
  return { child, done };
}

export function verdict(ok: boolean): string {
  return ok ? "PASS" : "FAIL";
}
