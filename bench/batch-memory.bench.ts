/**
 * Batch memory: peak RSS of a child process running 20,000 lines, against the same run over 2,000
 * lines (the reference, measured in the same invocation). Target: ≤ 1.3×. Data is read as a stream and
 * each line is written when it finishes, so memory should not grow with the data. The flow is one
 * TypeScript node answering ~250 bytes per line (no model server, to keep the run short).
 *
 *   node --import tsx bench/batch-memory.bench.ts [--small 2000] [--large 20000] [--concurrency 16]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawnBatch, verdict, writeCodeFlow, writeData } from "./support/batch-bench.js";

const { values } = parseArgs({
  options: {
    small: { type: "string", default: "2000" },
    large: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "16" },
  },
});
const TARGET = 1.3;
const root = mkdtempSync(join(tmpdir(), "flowops-bench-memory-"));
try {
  const flow = writeCodeFlow(root);
  const measure = async (lines: number) => {
    const data = writeData(join(root, `data-${lines}.jsonl`), lines);
    const result = await spawnBatch({
      home: join(root, `home-${lines}`),
      flow,
      data,
      name: `memory_${lines}`,
      concurrency: Number(values.concurrency),
    }).done;
    if (result.run.lines.completed !== lines)
      throw new Error(`run over ${lines} lines: ${JSON.stringify(result.run)}`);
    console.log(
      `${lines} lines: peak RSS ${(result.maxRssKb / 1024).toFixed(1)} MiB, ${(result.wallMs / 1000).toFixed(1)} s`,
    );
    return result.maxRssKb;
  };
  const small = await measure(Number(values.small));
  const large = await measure(Number(values.large));
  const ratio = large / small;
  console.log(
    `ratio ${ratio.toFixed(3)} (peak RSS ${values.large} / ${values.small} lines; target ≤ ${TARGET}) — ${verdict(ratio <= TARGET)}`,
  );
  process.exitCode = ratio <= TARGET ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
