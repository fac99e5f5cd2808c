import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConcurrencyConflictError, RunExistsError, RunNotFoundError } from "../../src/stores/errors.js";
import type { LineRecord, RunRecord, RunStore } from "../../src/stores/run-store.js";

/**
 * The storage behind a store under test. `open()` returns a store on that storage; calling it again
 * (after closing the first) must show the same data: that is how "survives reopen" is checked.
 */
export interface RunStoreFixture {
  open(): Promise<RunStore>;
  cleanup(): Promise<void>;
}

/** One behaviour suite for every RunStore adapter (local SQLite, Cosmos DB, ...). */
export function describeRunStoreContract(label: string, createFixture: () => Promise<RunStoreFixture>): void {
  describe(`RunStore contract: ${label}`, () => {
    let fixture: RunStoreFixture;
    let store: RunStore;

    beforeEach(async () => {
      fixture = await createFixture();
      store = await fixture.open();
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it("creates a run, reads it back with an etag, and refuses a taken name", async () => {
      const created = await store.createRun(aRun("r1"));
      expect(created.etag).toBeTypeOf("string");
      const read = await store.getRun("r1");
      expect(read).toMatchObject({ name: "r1", status: "Running", flow: "flows/a", lines: { total: 3 } });
      expect(read?.etag).toBe(created.etag);
      await expect(store.createRun(aRun("r1"))).rejects.toBeInstanceOf(RunExistsError);
      expect(await store.getRun("missing")).toBeUndefined();
    });

    it("claims a name atomically: of concurrent creates with one name exactly one succeeds", async () => {
      const attempts = await Promise.allSettled(
        ["flows/a", "flows/b", "flows/c", "flows/d"].map((flow) =>
          store.createRun(aRun("claimed", { flow })),
        ),
      );
      const won = attempts.filter((attempt) => attempt.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const attempt of attempts) {
        if (attempt.status === "rejected") expect(attempt.reason).toBeInstanceOf(RunExistsError);
      }
      const winner = (won[0] as PromiseFulfilledResult<RunRecord>).value;
      expect((await store.getRun("claimed"))?.flow).toBe(winner.flow);
    });

    it("updates a run, changes its etag, and rejects a stale ifMatch", async () => {
      const created = await store.createRun(aRun("r1"));
      const updated = await store.updateRun(
        "r1",
        { status: "Completed", metrics: { accuracy: 0.5 } },
        { ifMatch: created.etag },
      );
      expect(updated).toMatchObject({
        name: "r1",
        status: "Completed",
        metrics: { accuracy: 0.5 },
        flow: "flows/a",
      });
      expect(updated.etag).not.toBe(created.etag);
      await expect(
        store.updateRun("r1", { status: "Failed" }, { ifMatch: created.etag }),
      ).rejects.toBeInstanceOf(ConcurrencyConflictError);
      expect((await store.getRun("r1"))?.status).toBe("Completed");
      // Without ifMatch the last writer wins.
      expect((await store.updateRun("r1", { status: "Canceled" })).status).toBe("Canceled");
      await expect(store.updateRun("nope", { status: "Failed" })).rejects.toBeInstanceOf(RunNotFoundError);
    });

    it("lists runs newest first, filters by status, and limits", async () => {
      await store.createRun(aRun("old", { created_on: "2024-01-01T00:00:00.000Z", status: "Completed" }));
      await store.createRun(aRun("mid", { created_on: "2024-01-02T00:00:00.000Z", status: "Failed" }));
      await store.createRun(aRun("new", { created_on: "2024-01-03T00:00:00.000Z", status: "Completed" }));
      expect((await store.listRuns()).map((r) => r.name)).toEqual(["new", "mid", "old"]);
      expect((await store.listRuns({ status: "Completed" })).map((r) => r.name)).toEqual(["new", "old"]);
      expect((await store.listRuns({ limit: 1 })).map((r) => r.name)).toEqual(["new"]);
      expect((await store.listRuns({ limit: 1, offset: 1 })).map((r) => r.name)).toEqual(["mid"]);
      expect((await store.listRuns({ offset: 2 })).map((r) => r.name)).toEqual(["old"]);
    });

    it("leaves archived runs out of the list unless asked, and brings them back when restored", async () => {
      await store.createRun(aRun("kept", { created_on: "2024-01-01T00:00:00.000Z" }));
      await store.createRun(aRun("shelved", { created_on: "2024-01-02T00:00:00.000Z", status: "Completed" }));
      await store.updateRun("shelved", { archived: true });
      expect((await store.listRuns()).map((r) => r.name)).toEqual(["kept"]);
      expect((await store.listRuns({ includeArchived: true })).map((r) => r.name)).toEqual([
        "shelved",
        "kept",
      ]);
      expect(
        (await store.listRuns({ status: "Completed", includeArchived: true })).map((r) => r.name),
      ).toEqual(["shelved"]);
      expect((await store.getRun("shelved"))?.archived).toBe(true);
      await store.updateRun("shelved", { archived: false });
      expect((await store.listRuns()).map((r) => r.name)).toEqual(["shelved", "kept"]);
    });

    it("deletes a run with its lines", async () => {
      await store.createRun(aRun("r1"));
      await store.putLine(aLine("r1", 0));
      await store.deleteRun("r1");
      expect(await store.getRun("r1")).toBeUndefined();
      expect(await store.getLines("r1")).toEqual([]);
      await expect(store.deleteRun("r1")).rejects.toBeInstanceOf(RunNotFoundError);
    });

    it("replaces a line written twice (idempotent putLine)", async () => {
      await store.createRun(aRun("r1"));
      await store.putLine(aLine("r1", 0, { status: "Failed", error: { code: "X", message: "boom" } }));
      await store.putLine(aLine("r1", 0, { outputs: { answer: "second" } }));
      const lines = await store.getLines("r1");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ line_number: 0, status: "Completed", outputs: { answer: "second" } });
      expect(lines[0]?.error).toBeUndefined();
    });

    it("pages lines in line order and keeps runs apart", async () => {
      await store.createRun(aRun("r1"));
      await store.createRun(aRun("r2"));
      for (const n of [4, 0, 3, 1, 2]) await store.putLine(aLine("r1", n));
      await store.putLine(aLine("r2", 0, { outputs: { answer: "other run" } }));
      expect((await store.getLines("r1")).map((l) => l.line_number)).toEqual([0, 1, 2, 3, 4]);
      expect((await store.getLines("r1", { offset: 1, limit: 2 })).map((l) => l.line_number)).toEqual([1, 2]);
      expect((await store.getLines("r1", { offset: 4, limit: 10 })).map((l) => l.line_number)).toEqual([4]);
      expect(await store.getLines("r2")).toMatchObject([{ run: "r2", outputs: { answer: "other run" } }]);
    });

    it("iterates many lines in order, and sees lines written while iterating", async () => {
      await store.createRun(aRun("r1"));
      const count = 600;
      for (let n = count - 1; n >= 0; n--) await store.putLine(aLine("r1", n));
      const seen: number[] = [];
      for await (const line of store.iterateLines("r1")) {
        seen.push(line.line_number);
        if (line.line_number === 10) await store.putLine(aLine("r1", count)); // a writer is not blocked
      }
      expect(seen).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
    });

    it("keeps runs and lines across a reopen", async () => {
      await store.createRun(aRun("r1"));
      await store.updateRun("r1", { status: "Completed", lines: { total: 2, completed: 1, failed: 1 } });
      await store.putLine(aLine("r1", 0));
      await store.putLine(
        aLine("r1", 1, { status: "Failed", error: { code: "LineTimeout", message: "late" } }),
      );
      await store.close();
      store = await fixture.open();
      expect(await store.getRun("r1")).toMatchObject({
        status: "Completed",
        lines: { completed: 1, failed: 1 },
      });
      expect(await store.getLines("r1")).toMatchObject([
        { line_number: 0, status: "Completed", inputs: { question: "q0" }, outputs: { answer: "a0" } },
        { line_number: 1, status: "Failed", error: { code: "LineTimeout", message: "late" } },
      ]);
    });
  });
}

function aRun(name: string, change: Partial<RunRecord> = {}): RunRecord {
  return {
    name,
    status: "Running",
    flow: "flows/a",
    data: "data.jsonl",
    created_on: "2024-05-01T10:00:00.000Z",
    lines: { total: 3, completed: 0, failed: 0 },
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    ...change,
  };
}

function aLine(run: string, lineNumber: number, change: Partial<LineRecord> = {}): LineRecord {
  return {
    run,
    line_number: lineNumber,
    status: "Completed",
    inputs: { question: `q${lineNumber}` },
    outputs: { answer: `a${lineNumber}` },
    start_time: "2024-05-01T10:00:00.000Z",
    end_time: "2024-05-01T10:00:01.000Z",
    ...change,
  };
}
