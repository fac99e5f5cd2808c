// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
/**
 * Start-up, as a user meets it: whole processes from start to exit, each as a multiple of a bare
 * `node -e 0` started in the same run (rounds alternate reference and subject; medians compared):
 *   - `flowops --version`                                   target ≤ 3×
 *   - `flowops flow test` of a two-node flow (a TypeScript node, then an llm node) against a local
 *     OpenAI-wire model server (tests/support/vendor-servers)  target ≤ 6×
 *   - importing the Azure Functions entry (package.json "main"), what every cold start pays before its
 *     first request                                          target ≤ 4×
 *   - a Functions cold start up to its first answer: the entry imported as the worker does, then one
 *     POST /api/flows/greet handed to its HTTP trigger (bench/support/functions-first-request.mjs)
 *     (no time target: it includes a model call)
 * and the peak RSS (/usr/bin/time) of the Functions import, of its first request and of `flow test`
 * (a first request end to end), against what they were before lazy loading and bundling (measured on
 * this machine at commit 1dac1db: 131 MB, 222 MB and 159 MB): target ≤ 0.5×. Runs the built CLI
 * (`npm run build` first).
 *
 *   node --import tsx bench/startup.bench.ts [--rounds 7]
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startOpenAIServer } from "../tests/support/vendor-servers/openai-server.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" } } });
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/flowops.js");
const FUNCTIONS_MAIN = path.join(
  ROOT,
  (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string }).main,
);
const FIRST_REQUEST = path.join(ROOT, "bench/support/functions-first-request.mjs");
// The first request's reference was measured later than the others, with this bench at 1dac1db's
// build and the dependencies of 2026-11-30 (which put that commit's import at 179 MB, not 131).
const RSS_BEFORE_MB = { functions: 131, functionsFirstRequest: 222, flowTest: 159 };
const TARGETS: Record<string, number> & { rss: number } = { version: 3, flowTest: 6, functions: 4, rss: 0.5 };
const TIME = "/usr/bin/time";

if (!existsSync(FUNCTIONS_MAIN) || !existsSync(path.join(ROOT, "dist/cli/cli.cjs"))) {
  console.error("building (npm run build) ...");
  spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
}

const work = mkdtempSync(path.join(tmpdir(), "flowops-bench-startup-"));
const server = await startOpenAIServer();
try {
  const flow = writeTwoNodeFlow(path.join(work, "flows", "greet"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    HOME: work,
    FLOWOPS_HOME: path.join(work, "home"),
    FLOWOPS_LLM_MODE: "live",
    FLOWOPS_FLOWS: path.join(work, "flows"),
    FLOWOPS_CONNECTION_BENCH_MODEL: JSON.stringify({
      type: "open_ai",
      api_key: "sk-bench",
      base_url: `${server.url}/v1`,
    }),
  };
  const subjects = {
    version: [BIN, "--version"],
    flowTest: [BIN, "flow", "test", "--flow", flow, "--inputs", "name=Ada"],
    functions: [
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(pathToFileURL(FUNCTIONS_MAIN).href)})`,
    ],
    functionsFirstRequest: [FIRST_REQUEST, FUNCTIONS_MAIN, "greet", JSON.stringify({ name: "Ada" })],
  };
  const times: Record<"reference" | keyof typeof subjects, number[]> = {
    reference: [],
    version: [],
    flowTest: [],
    functions: [],
    functionsFirstRequest: [],
  };
  const rss: Record<keyof typeof subjects, number[]> = {
    version: [],
    flowTest: [],
    functions: [],
    functionsFirstRequest: [],
  };
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, args] of Object.entries(subjects) as [keyof typeof subjects, string[]][]) {
      times.reference.push((await run(["-e", "0"], env)).ms);
      const result = await run(args, env);
      times[name].push(result.ms);
      if (result.rssKb) rss[name].push(result.rssKb);
    }
  }
  const reference = median(times.reference);
  console.log(
    `node -e 0: ${reference.toFixed(0)} ms (median of ${times.reference.length}); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${process.env["NPROC"] ?? "this"} machine`,
  );
  let ok = true;
  for (const name of Object.keys(subjects) as (keyof typeof subjects)[]) {
    const ratio = median(times[name]) / reference;
    const target = TARGETS[name];
    const pass = target === undefined || ratio <= target;
    ok &&= pass;
    console.log(
      `${name}: ${median(times[name]).toFixed(0)} ms, ${ratio.toFixed(2)}× node -e 0 ${target === undefined ? "(no target)" : `(target ≤ ${target}×) — ${pass ? "PASS" : "FAIL"}`}`,
    );
  }
  for (const name of ["functions", "functionsFirstRequest", "flowTest"] as const) {
    if (rss[name].length === 0) {
      console.log(`${name} peak RSS: not measured (${TIME} is missing: apt-get install time)`);
      continue;
    }
    const mb = median(rss[name]) / 1024;
    const ratio = mb / RSS_BEFORE_MB[name];
    const pass = ratio <= TARGETS.rss;
    ok &&= pass;
    console.log(
      `${name} peak RSS: ${mb.toFixed(0)} MB, ${ratio.toFixed(2)}× the ${RSS_BEFORE_MB[name]} MB before (target ≤ ${TARGETS.rss}×) — ${pass ? "PASS" : "FAIL"}`,
    );
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

/**
 * Runs `node ...args` to completion: wall-clock ms from spawn to exit, and peak RSS when /usr/bin/time
 * exists. Asynchronous: the model server answers from this process.
 */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rssKb?: number }> {
  const timed = existsSync(TIME);
  const command = timed ? TIME : process.execPath;
  const argv = timed ? ["-f", "maxrss %M", process.execPath, ...args] : args;
  const started = performance.now();
  const child = spawn(command, argv, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const ms = performance.now() - started;
  if (status !== 0) throw new Error(`node ${args.join(" ")} failed (${status}):\n${stderr}`);
  const rssKb = /maxrss (\d+)/.exec(stderr)?.[1];
  return rssKb ? { ms, rssKb: Number(rssKb) } : { ms };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A TypeScript node that builds the question, then one llm node on connection `bench_model`. */
function writeTwoNodeFlow(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "flow.dag.yaml"),
    `inputs:
  name:
    type: string
outputs:
  answer:
    type: string
    reference: \${ask.output}
nodes:
  - name: question
    type: typescript
    source:
      type: code
      path: question.ts
    inputs:
      name: \${inputs.name}
  - name: ask
    type: llm
    source:
      type: code
      path: ask.jinja2
    inputs:
      model: gpt-4o-mini
      max_tokens: 16
      question: \${question.output}
    connection: bench_model
    api: chat
`,
  );
  writeFileSync(
    path.join(dir, "question.ts"),
    "export default ({ name }: { name: string }) => `Who is ${name}?`;\n",
  );
  writeFileSync(
    path.join(dir, "ask.jinja2"),
    "# system:\nAnswer in one sentence.\n\n# user:\n{{question}}\n",
  );
  return dir;
}
