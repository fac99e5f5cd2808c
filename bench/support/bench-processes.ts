/**
 * The processes the host benchmarks start: a minimal OpenAI chat-completions server answering after a
 * fixed delay (a benchmark file run with `--role model` calls serveModel), and children run from the
 * TypeScript sources through tsx (the CLI's `src/cli/run-host-process.ts`, or the benchmark itself in
 * another role), each awaited until a line of its output matches.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
/** `flowops` from the sources: `[CLI, "start", "--port", "0"]`. */
export const CLI = path.join(ROOT, "src/cli/run-host-process.ts");

/** Serves OpenAI chat completions answering `reply` after `delayMs`; prints `listening on <url>`. */
export async function serveModel(delayMs: number, reply = "A fixed answer."): Promise<void> {
  const body = JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "bench-model",
    choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
    usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 },
  });
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () =>
      setTimeout(() => {
        response.writeHead(200, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        });
        response.end(body);
      }, delayMs),
    );
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
}

/**
 * Starts `node --import tsx ...argv` in `env.BENCH_CWD` (the host keeps its durable state in
 * <cwd>/.flowops: each benchmark gets a fresh folder) and resolves with the first group of `ready`
 * once its output (stdout, and stderr unless `stdoutOnly`) matches. BENCH_DEBUG echoes its stderr.
 */
export function startChild(
  argv: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  options: { stdoutOnly?: boolean; timeoutMs?: number } = {},
): Promise<{ match: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", TSX, ...argv], {
    cwd: env["BENCH_CWD"] ?? ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`did not start:\n${output}`)),
      options.timeoutMs ?? 300_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off("data", read);
        child.stdout?.resume();
        resolve({ match: match[1]!, child });
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", (chunk: Buffer) => {
      if (process.env["BENCH_DEBUG"]) process.stderr.write(chunk);
      if (options.stdoutOnly) output += chunk.toString();
      else read(chunk);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}
