import { describe, expect, it } from "vitest";
import { RunNotFoundError } from "../stores/errors.js";
import { openSqliteRunStore } from "../stores/local/sqlite-run-store.js";
import { formatDuration, showDetails, showMetrics, showRun } from "./show-run.js";

describe("show", () => {
  it("shows a run, its lines and metrics as the CLI prints them", async () => {
    const store = openSqliteRunStore({ file: ":memory:" });
    await store.createRun({
      name: "r",
      status: "Completed",
      flow: "flows/ner",
      data: "data.jsonl",
      created_on: "2024-05-01T10:00:00.000Z",
      started_on: "2024-05-01T10:00:00.000Z",
      ended_on: "2024-05-01T10:01:05.250Z",
      lines: { total: 2, completed: 1, failed: 1 },
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      metrics: { f1: 0.5 },
      flow_version: "3",
    });
    await store.putLine({
      run: "r",
      line_number: 1,
      status: "Failed",
      inputs: { q: "b" },
      error: { code: "X", message: "bad" },
      start_time: "",
      end_time: "",
    });
    await store.putLine({
      run: "r",
      line_number: 0,
      status: "Completed",
      inputs: { q: "a" },
      outputs: { a: 1 },
      start_time: "",
      end_time: "",
    });
    expect(await showRun(store, "r")).toMatchObject({
      name: "r",
      status: "Completed",
      flow: "flows/ner",
      data: "data.jsonl",
      duration: "0:01:05.250000",
      lines: { total: 2, completed: 1, failed: 1 },
      usage: { total_tokens: 15 },
      metrics: { f1: 0.5 },
      lineage: { flow_version: "3", data_version: null },
    });
    expect(await showDetails(store, "r")).toEqual([
      { line_number: 0, status: "Completed", inputs: { q: "a" }, outputs: { a: 1 }, error: null },
      {
        line_number: 1,
        status: "Failed",
        inputs: { q: "b" },
        outputs: null,
        error: { code: "X", message: "bad" },
      },
    ]);
    expect(await showMetrics(store, "r")).toEqual({ f1: 0.5 });
    await expect(showRun(store, "nope")).rejects.toBeInstanceOf(RunNotFoundError);
    await store.close();
  });

  it("formats durations like promptflow", () => {
    expect(formatDuration(3_723_004.5)).toBe("1:02:03.004500");
  });
});
