import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConnection } from "../connections/connection-schema.js";
import type { FlowExecutor, LineResult } from "../core/execution-types.js";
import type { FlowDefinition } from "../core/flow-definition.js";
import { openSqliteRunStore, type SqliteRunStore } from "../stores/local/sqlite-run-store.js";
import { runLines } from "./run-lines.js";

/** An executor whose tool echoes or throws a connection secret, as a careless tool would. */
function leakyExecutor(secret: string): FlowExecutor {
  return {
    definition: { inputs: { mode: { type: "string" } }, outputs: {}, nodes: [] } as unknown as FlowDefinition,
    hasAggregation: true,
    async run(inputs) {
      if (inputs["mode"] === "throw") throw new Error(`tool failed: server said key '${secret}' is revoked`);
      const output = { said: `the key is ${secret}` };
      return {
        outputs: { answer: output.said },
        nodes: { tool: { node: "tool", status: "Completed", output, start_time: "", end_time: "" } },
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      } satisfies LineResult;
    },
    async runNode() {
      throw new Error("not used");
    },
    async runAggregation() {
      throw new Error("not used");
    },
  };
}

async function* lines(modes: string[]) {
  for (const [line_number, mode] of modes.entries()) yield { line_number, data: { mode } };
}

let home: string;
let store: SqliteRunStore;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "flowops-lines-"));
  store = openSqliteRunStore({ home });
});
afterEach(async () => {
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

describe("runLines", () => {
  it("keeps configured secrets out of stored line errors, outputs and node outputs", async () => {
    // A custom connection's secret in a format no pattern knows.
    const secret = "x9-Unknown/Format+Secret";
    parseConnection({ name: "svc", type: "custom", configs: {}, secrets: { token: secret } }, "test");
    await store.createRun({
      name: "r",
      status: "Running",
      flow: "f",
      created_on: new Date().toISOString(),
      lines: { total: 2, completed: 0, failed: 0 },
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    await runLines({ store, executor: leakyExecutor(secret), run: "r", lines: lines(["echo", "throw"]) });
    const stored = await store.getLines("r");
    expect(stored.map((line) => line.status)).toEqual(["Completed", "Failed"]);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored[0]?.outputs).toEqual({ answer: "the key is ***" });
    expect(stored[1]?.error?.message).toBe("tool failed: server said key '***' is revoked");
  });

  it("leaves lines in flight unrecorded at once on a batch abort, even when the executor ignores it", async () => {
    await store.createRun({
      name: "a",
      status: "Running",
      flow: "f",
      created_on: new Date().toISOString(),
      lines: { total: 3, completed: 0, failed: 0 },
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    const batch = new AbortController();
    let started = 0;
    const stuck: FlowExecutor = {
      ...leakyExecutor("unused"),
      run() {
        if (++started === 2) setTimeout(() => batch.abort(new Error("Ctrl-C")), 10);
        return new Promise(() => {}); // never settles, never reads its signal
      },
    };
    // Would never return if the stuck lines were not settled by the abort.
    await runLines({
      store,
      executor: stuck,
      run: "a",
      lines: lines(["x", "y", "z"]),
      concurrency: 2,
      signal: batch.signal,
    });
    expect(started).toBe(2);
    expect(await store.getLines("a")).toEqual([]);
  });
});
