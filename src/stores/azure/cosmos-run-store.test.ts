import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CosmosEmulator, startCosmosEmulator } from "../../../tests/support/cosmos-emulator.js";
import { describeRunStoreContract } from "../../../tests/support/run-store-contract.js";
import { ConcurrencyConflictError } from "../errors.js";
import type { RunRecord } from "../run-store.js";
import { CosmosRunStore, ensureRunsContainer } from "./cosmos-run-store.js";

let emulator: CosmosEmulator;
let containers = 0;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** Each test gets its own container; open() is a new client on it, as after a process restart. */
async function newContainerFixture() {
  const containerId = `runs-${++containers}`;
  const setup = emulator.createClient();
  await ensureRunsContainer(setup, "flowops", containerId);
  return {
    open: async () => {
      const client = emulator.createClient();
      return new CosmosRunStore({ container: client.database("flowops").container(containerId), client });
    },
    cleanup: async () => {
      await setup.database("flowops").container(containerId).delete();
      setup.dispose();
    },
  };
}

describeRunStoreContract("Cosmos DB (emulator)", newContainerFixture);

describe("Cosmos run store", () => {
  const run: RunRecord = {
    name: "eval-1",
    status: "Running",
    flow: "flows/eval",
    run: "base-1",
    created_on: "2024-05-01T10:00:00.000Z",
    lines: { total: 1, completed: 0, failed: 0 },
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };

  it("keeps the run in its own partition, apart from its base run, with the Cosmos ETag as etag", async () => {
    const fixture = await newContainerFixture();
    const store = await fixture.open();
    const created = await store.createRun(run);
    await store.putLine({
      run: "eval-1",
      line_number: 7,
      status: "Completed",
      inputs: {},
      start_time: run.created_on,
      end_time: run.created_on,
    });
    const container = (store as CosmosRunStore).container;
    const { resource: runDocument } = await container.item("run", "eval-1").read();
    expect(runDocument).toMatchObject({ id: "run", run: "eval-1", type: "run", record: { run: "base-1" } });
    expect(created.etag).toBe(runDocument?._etag);
    const { resource: lineDocument } = await container.item("line-7", "eval-1").read();
    expect(lineDocument).toMatchObject({ id: "line-7", run: "eval-1", type: "line", line_number: 7 });
    expect(await store.getRun("base-1")).toBeUndefined();
    await store.close();
    await fixture.cleanup();
  });

  it("lets exactly one of two racing conditional updates win", async () => {
    const fixture = await newContainerFixture();
    const [a, b] = [await fixture.open(), await fixture.open()];
    const created = await a.createRun(run);
    const results = await Promise.allSettled([
      a.updateRun("eval-1", { status: "Completed" }, { ifMatch: created.etag }),
      b.updateRun("eval-1", { status: "Failed" }, { ifMatch: created.etag }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyConflictError);
    const winner = (won[0] as PromiseFulfilledResult<RunRecord>).value;
    expect((await a.getRun("eval-1"))?.status).toBe(winner.status);
    await a.close();
    await b.close();
    await fixture.cleanup();
  });

  it("does not lose either of two racing unconditional updates to different fields", async () => {
    const fixture = await newContainerFixture();
    const [a, b] = [await fixture.open(), await fixture.open()];
    await a.createRun(run);
    await Promise.all([
      a.updateRun("eval-1", { metrics: { accuracy: 1 } }),
      b.updateRun("eval-1", { tags: { team: "qa" } }),
    ]);
    expect(await a.getRun("eval-1")).toMatchObject({ metrics: { accuracy: 1 }, tags: { team: "qa" } });
    await a.close();
    await b.close();
    await fixture.cleanup();
  });
});
