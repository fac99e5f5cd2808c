import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteRunStore, type SqliteRunStore } from "../stores/local/sqlite-run-store.js";
import { exportRun } from "./export-run.js";

describe("exportRun (promptflow's run output folder)", () => {
  let home: string;
  let store: SqliteRunStore;
  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), "flowops-export-"));
    store = openSqliteRunStore({ home });
  });
  afterEach(async () => {
    await store.close();
    await rm(home, { recursive: true, force: true });
  });

  it("writes error.json for failed lines, leaves them out of the outputs, and skips the snapshot of a registry flow", async () => {
    await store.createRun({
      name: "r",
      status: "Completed",
      flow: "ner:3",
      created_on: "2024-05-01T10:00:00.000Z",
      lines: { total: 2, completed: 1, failed: 1 },
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    const times = { start_time: "2024-05-01T10:00:00.000Z", end_time: "2024-05-01T10:00:01.000Z" };
    await store.putLine({
      run: "r",
      line_number: 0,
      status: "Completed",
      inputs: { q: "a" },
      outputs: { a: "A" },
      ...times,
    });
    await store.putLine({
      run: "r",
      line_number: 1,
      status: "Failed",
      inputs: { q: "b" },
      error: { code: "NodeExecutionFailed", message: "node 'x' failed: boom" },
      ...times,
    });
    const out = path.join(home, "out");
    const summary = await exportRun(store, "r", out);
    expect(summary.lines).toBe(2);
    expect(summary.files).not.toContain("snapshot");
    expect(existsSync(path.join(out, "snapshot"))).toBe(false);
    expect((await readFile(path.join(out, "flow_outputs", "output.jsonl"), "utf8")).trim()).toBe(
      '{"line_number":0,"a":"A"}',
    );
    const error = JSON.parse(await readFile(path.join(out, "error.json"), "utf8"));
    expect(error).toMatchObject({
      failed_lines: 1,
      total_lines: 2,
      errors: [{ line_number: 1, error: { code: "NodeExecutionFailed" } }],
    });
    expect(error.message).toContain("node 'x' failed: boom");
    const failed = JSON.parse(
      await readFile(path.join(out, "flow_artifacts", "000000001_000000001.jsonl"), "utf8"),
    );
    expect(failed).toMatchObject({
      status: "Failed",
      run_info: { output: null, error: { message: "node 'x' failed: boom" } },
    });
    expect(existsSync(path.join(out, "node_artifacts"))).toBe(false);
  });

  it("names a run that does not exist", async () => {
    await expect(exportRun(store, "nope", path.join(home, "x"))).rejects.toThrow(/nope/);
  });
});
