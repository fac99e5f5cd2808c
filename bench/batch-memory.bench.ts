/**
 * Batch memory: peak RSS of the whole `flowops run create` command over 20,000 lines, against the same
 * command over 2,000 lines (the reference, measured in the same invocation), each read from GNU
 * `/usr/bin/time -f %M` (`apt-get install -y time` where it is missing). Target: ≤ 1.1×. Data is read as
 * a stream and each line is written when it finishes, so memory should not grow with the data. The flow
 * is one TypeScript node answering ~250 bytes per line (no model server, to keep the run short).
 *
 *   node --import tsx bench/batch-memory.bench.ts [--small 2000] [--large 20000] [--concurrency 16]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { verdict, writeCodeFlow, writeData } from "./support/batch-bench.js";
import { BIN } from "./support/bench-processes.js";
import { TIME, timeCommand } from "./support/timed-command.js";

const { values } = parseArgs({
  options: {
    small: { type: "string", default: "2000" },
    large: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "16" },
  },
});
const TARGET = 1.1;
if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is missing: apt-get install -y time`);
const root = mkdtempSync(join(tmpdir(), "flowops-bench-memory-"));
try {
  const flow = writeCodeFlow(root);
  const measure = async (lines: number) => {
    const data = writeData(join(root, `data-${lines}.jsonl`), lines);
    const result = await timeCommand(
      [
        BIN,
        "run",
        "create",
        "--flow",
        flow,
        "--data",
        data,
        "--name",
        `memory_${lines}`,
        "--concurrency",
        values.concurrency,
        "--format",
        "json",
      ],
      { env: { ...process.env, CI: "1", FLOWOPS_HOME: join(root, `home-${lines}`) } },
    );
    if (result.status !== 0)
      throw new Error(`run over ${lines} lines exited ${result.status}: ${result.stderr}`);
    const run = JSON.parse(result.stdout) as { lines: { completed: number } };
    if (run.lines.completed !== lines) throw new Error(`run over ${lines} lines: ${result.stdout}`);
    console.log(
      `${lines} lines: peak RSS ${(result.maxRssKb! / 1024).toFixed(1)} MiB, ${(result.wallMs / 1000).toFixed(1)} s, user CPU ${result.userS!.toFixed(2)} s`,
    );
    return result.maxRssKb!;
  };
  const load = loadavg()[0]!.toFixed(1);
  const small = await measure(Number(values.small));
  const large = await measure(Number(values.large));
  const ratio = large / small;
  console.log(
    `ratio ${ratio.toFixed(3)} (peak RSS of \`flowops run create\`, ${values.large} / ${values.small} lines; target ≤ ${TARGET}; load ${load}) — ${verdict(ratio <= TARGET)}`,
  );
  process.exitCode = ratio <= TARGET ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
