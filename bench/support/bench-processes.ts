/**
 * The processes the server benchmarks start: a minimal OpenAI chat-completions server answering after a
 * fixed delay (a benchmark file run with `--role model` calls serveModel), and children run from the
 * TypeScript sources through tsx (the CLI's `src/cli/run-host-process.ts`, or the benchmark itself in
 * another role) or from the build (`bin/flowops.js`, as users run it), each awaited until a line of its
 * output matches; the CPU time a child has used; the build, when a benchmark measures it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
/** `flowops` from the sources: `[CLI, "start", "--port", "0"]`. */
export const CLI = path.join(ROOT, "src/cli/run-host-process.ts");
/** `flowops` as users run it (the build): start it with `{ tsx: false }`. */
export const BIN = path.join(ROOT, "bin/flowops.js");

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
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
}

/**
 * Starts `node --import tsx ...argv` (`node ...argv` with `tsx: false`) in `env.BENCH_CWD` (the host
 * keeps its durable state in <cwd>/.flowops: each benchmark gets a fresh folder) and resolves with the
 * first group of `ready` once its output (stdout, and stderr unless `stdoutOnly`) matches; the output
 * is not kept after that. BENCH_DEBUG echoes its stderr.
 */
export function startChild(
  argv: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  options: { stdoutOnly?: boolean; timeoutMs?: number; tsx?: boolean } = {},
): Promise<{ match: string; child: ChildProcess }> {
  const loader = options.tsx === false ? [] : ["--import", TSX];
  const child = spawn(process.execPath, [...loader, ...argv], {
    cwd: env["BENCH_CWD"] ?? ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`did not start:\n${output}`)),
      options.timeoutMs ?? 300_000,
    );
    const read = (chunk: Buffer) => {
      if (started) return;
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        started = true;
        output = "";
        clearTimeout(timer);
        child.stdout?.off("data", read);
        child.stdout?.resume();
        resolve({ match: match[1]!, child });
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", (chunk: Buffer) => {
      if (process.env["BENCH_DEBUG"]) process.stderr.write(chunk);
      if (!options.stdoutOnly) read(chunk);
      else if (!started) output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

/** Stops a child with SIGTERM (its own shutdown runs) and waits until it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * CPU time (user + system) a process and its children (cluster workers) have used so far, in ms
 * (Linux /proc, 100 ticks per second; undefined elsewhere).
 */
export function cpuTimeMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return children.reduce((sum, child) => sum + (cpuTimeMs(Number(child)) ?? 0), own);
  } catch {
    return undefined;
  }
}

/** `npm run build` (what `npm ci` runs): for benchmarks that measure the CLI as users run it. */
export function build(): void {
  console.error("building (npm run build) ...");
  spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "ignore" });
  if (!existsSync(path.join(ROOT, "dist/src/cli/main.js"))) {
    throw new Error("npm run build did not produce dist/src/cli/main.js: run it and fix what it reports");
  }
}
