import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FlowExecutor } from "../core/execution-types.js";
import type { FlowDefinition } from "../core/flow-definition.js";
import { openSqliteRunStore } from "../stores/local/sqlite-run-store.js";
import { finishRun } from "./finish-run.js";
import { countBatchLines } from "./line-source.js";
import { runBatchChunk } from "./run-chunk.js";

const executor: FlowExecutor = {
  definition: { inputs: { n: { type: "int" } } } as unknown as FlowDefinition,
  hasAggregation: false,
  async run(inputs) {
    const n = Number(inputs["n"]);
    if (n % 7 === 3) throw new Error(`no ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return {
      outputs: { double: n * 2 },
      nodes: {},
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    };
  },
  runNode: () => Promise.reject(new Error("unused")),
  runAggregation: () => Promise.reject(new Error("unused")),
};

describe("runBatchChunk", () => {
  it("lets chunks of one run execute at the same time and count into one record", async () => {
    const home = mkdtempSync(join(tmpdir(), "flowops-chunk-"));
    const data = join(home, "d.csv");
    writeFileSync(data, `n\n${Array.from({ length: 100 }, (_, i) => i).join("\n")}\n`);
    const store = openSqliteRunStore({ home });
    const total = await countBatchLines({ store, data });
    await store.createRun({
      name: "fan",
      status: "Running",
      flow: "f",
      data,
      created_on: new Date().toISOString(),
      lines: { total, completed: 0, failed: 0 },
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    const chunks = [0, 25, 50, 75].map((start) =>
      runBatchChunk({ store, executor, run: "fan", range: { start, end: start + 25 }, concurrency: 4 }),
    );
    const counts = await Promise.all(chunks);
    expect(counts.reduce((sum, c) => sum + c.completed + c.failed, 0)).toBe(100);
    const failed = Array.from({ length: 100 }, (_, i) => i).filter((n) => n % 7 === 3).length;
    // The increments from concurrent chunks all landed (optimistic concurrency retries).
    expect((await store.getRun("fan"))?.lines).toEqual({ total: 100, completed: 100 - failed, failed });
    const done = await finishRun({ store, run: "fan" });
    expect(done).toMatchObject({
      status: "Completed",
      lines: { total: 100, completed: 100 - failed, failed },
    });
    expect(done.usage.total_tokens).toBe(2 * (100 - failed));
    expect((await store.getLines("fan")).map((l) => l.line_number)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });
});
