import { describe, expect, it } from "vitest";
import {
  ActionType,
  createOrchestrator,
  type HistoryEvent,
  historyEvents,
  type OrchestratorAction,
  type OrchestratorState,
  orchestrationContext,
  orchestrationInput,
} from "../host/durable/durable-internals.js";
import { bulkRunOrchestrator } from "./bulk-run-orchestrator.js";
import { ACTIVITIES, BULK_RUN_ORCHESTRATION, type BulkRunPlan, MAX_CHUNK_ATTEMPTS } from "./bulk-run-plan.js";

// The orchestrator is replayed through the handler durable-functions builds from it (what
// df.app.orchestration registers), with histories made of the library's own event classes.
const handler = createOrchestrator(bulkRunOrchestrator);
const t0 = new Date("2026-01-01T00:00:00Z");

function plan(overrides: Partial<BulkRunPlan> = {}): BulkRunPlan {
  return {
    run: "r1",
    phases: ["r1"],
    chunks: 5,
    window: 2,
    chunkConcurrency: 8,
    chunksPerExecution: 64,
    ...overrides,
  };
}

function started(input: unknown): HistoryEvent[] {
  return [
    historyEvents.orchestratorStarted(t0),
    historyEvents.executionStarted(BULK_RUN_ORCHESTRATION, input, t0),
  ];
}

async function replay(history: HistoryEvent[], input: unknown): Promise<OrchestratorState> {
  return handler(
    orchestrationInput("r1", history, input),
    orchestrationContext(BULK_RUN_ORCHESTRATION, () => {}),
  );
}

function activities(state: OrchestratorState): OrchestratorAction[] {
  return state.actions.flat().filter((action) => action.actionType === ActionType.CallActivity);
}

function chunkInputs(actions: OrchestratorAction[]): unknown[] {
  return actions.filter((action) => action.functionName === ACTIVITIES.chunk).map((action) => action.input);
}

/** Records the newly scheduled activities (ids = their position among activity actions). */
function schedule(history: HistoryEvent[], state: OrchestratorState): number[] {
  const scheduled = history.filter((event) => event.EventType === 4).length;
  const fresh = activities(state).slice(scheduled);
  history.push(historyEvents.orchestratorStarted(t0));
  return fresh.map((action, index) => {
    history.push(historyEvents.taskScheduled(scheduled + index, action.functionName!, action.input, t0));
    return scheduled + index;
  });
}

describe("bulkRunOrchestrator (replayed with durable-functions' own classes)", () => {
  it("starts by preparing the run, with only the run name as input", async () => {
    const state = await replay(started({ run: "r1" }), { run: "r1" });
    expect(state.isDone).toBe(false);
    expect(activities(state)).toEqual([
      expect.objectContaining({ functionName: ACTIVITIES.prepare, input: { run: "r1" } }),
    ]);
  });

  it("fans chunks out a window at a time, fans in, then finishes with the summary as output", async () => {
    const input = { run: "r1" };
    const history = started(input);
    let state = await replay(history, input);
    const [prepareId] = schedule(history, state);
    history.push(historyEvents.taskCompleted(prepareId!, plan(), t0));

    state = await replay(history, input);
    expect(chunkInputs(activities(state))).toEqual([
      { run: "r1", chunk: 0, concurrency: 8 },
      { run: "r1", chunk: 1, concurrency: 8 },
    ]);
    const [first, second] = schedule(history, state);
    // One of two done: no new work until the window has fanned in.
    history.push(historyEvents.taskCompleted(second!, { ran: 1 }, t0));
    expect(activities(await replay(history, input))).toHaveLength(3);
    history.push(historyEvents.taskCompleted(first!, { ran: 1 }, t0));
    state = await replay(history, input);
    expect(chunkInputs(activities(state)).slice(2)).toEqual([
      { run: "r1", chunk: 2, concurrency: 8 },
      { run: "r1", chunk: 3, concurrency: 8 },
    ]);
    for (const id of schedule(history, state)) history.push(historyEvents.taskCompleted(id, {}, t0));
    state = await replay(history, input);
    expect(chunkInputs(activities(state)).slice(4)).toEqual([{ run: "r1", chunk: 4, concurrency: 8 }]);
    for (const id of schedule(history, state)) history.push(historyEvents.taskCompleted(id, {}, t0));
    state = await replay(history, input);
    expect(activities(state).at(-1)).toEqual(expect.objectContaining({ functionName: ACTIVITIES.finish }));
    const summary = {
      run: "r1",
      status: "Completed",
      lines: { total: 5, completed: 5, failed: 0 },
      metrics: {},
    };
    for (const id of schedule(history, state)) history.push(historyEvents.taskCompleted(id, summary, t0));
    state = await replay(history, input);
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual(summary);
  });

  it("sends each chunk once whatever the evaluations (the activity runs the flow, then each evaluation)", async () => {
    const input = { run: "r1", plan: plan({ phases: ["r1", "r1-eval-exact-match"], chunks: 1, window: 1 }) };
    const history = started(input);
    let state = await replay(history, input);
    expect(chunkInputs(activities(state))).toEqual([{ run: "r1", chunk: 0, concurrency: 8 }]);
    for (const id of schedule(history, state)) history.push(historyEvents.taskCompleted(id, {}, t0));
    state = await replay(history, input);
    expect(activities(state).map((action) => action.functionName)).toEqual([
      ACTIVITIES.chunk,
      ACTIVITIES.finish,
    ]);
  });

  it("retries a failed chunk once the rest of its window has settled", async () => {
    const input = { run: "r1", plan: plan({ chunks: 2 }) };
    const history = started(input);
    let state = await replay(history, input);
    const [chunk0, chunk1] = schedule(history, state);
    history.push(historyEvents.taskFailed(chunk0!, "blob store unreachable", "Error", t0));
    // chunk 1 still running: chunk 0 must not run again at the same time as anything of its window
    state = await replay(history, input);
    expect(activities(state)).toHaveLength(2);
    history.push(historyEvents.taskCompleted(chunk1!, {}, t0));
    state = await replay(history, input);
    expect(chunkInputs(activities(state)).slice(2)).toEqual([{ run: "r1", chunk: 0, concurrency: 8 }]);
    for (const id of schedule(history, state)) history.push(historyEvents.taskCompleted(id, {}, t0));
    state = await replay(history, input);
    expect(activities(state).at(-1)?.functionName).toBe(ACTIVITIES.finish);
  });

  it(`fails the run (not the orchestration) when a chunk fails ${MAX_CHUNK_ATTEMPTS} times`, async () => {
    const input = { run: "r1", plan: plan({ chunks: 1, window: 1 }) };
    const history = started(input);
    let state = await replay(history, input);
    for (let attempt = 1; attempt <= MAX_CHUNK_ATTEMPTS; attempt++) {
      const [id] = schedule(history, state);
      expect(activities(state)[id!]?.functionName).toBe(ACTIVITIES.chunk);
      history.push(historyEvents.taskFailed(id!, `disk full (attempt ${attempt})`, "Error", t0));
      state = await replay(history, input);
    }
    const last = activities(state).at(-1)!;
    expect(last.functionName).toBe(ACTIVITIES.fail);
    expect(last.input).toEqual({ run: "r1", error: expect.stringContaining("disk full (attempt 3)") });
    const [failId] = schedule(history, state);
    history.push(historyEvents.taskCompleted(failId!, { run: "r1", status: "Failed" }, t0));
    state = await replay(history, input);
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual({ run: "r1", status: "Failed" });
  });

  it("fails the run when prepare fails (bad data), naming the reason", async () => {
    const input = { run: "r1" };
    const history = started(input);
    const [prepareId] = schedule(history, await replay(history, input));
    history.push(historyEvents.taskFailed(prepareId!, "runs/r1/data.jsonl:3: not valid JSON", "Error", t0));
    const state = await replay(history, input);
    expect(activities(state).at(-1)).toEqual(
      expect.objectContaining({
        functionName: ACTIVITIES.fail,
        input: { run: "r1", error: expect.stringContaining("data.jsonl:3") },
      }),
    );
  });

  it("is deterministic: replaying a history again, or a prefix of it, gives the same actions", async () => {
    const input = { run: "r1", plan: plan({ chunks: 6, window: 3 }) };
    const history = started(input);
    let state = await replay(history, input);
    const ids = schedule(history, state);
    history.push(historyEvents.taskCompleted(ids[2]!, {}, t0), historyEvents.taskCompleted(ids[0]!, {}, t0));
    const prefix = [...history];
    history.push(historyEvents.taskCompleted(ids[1]!, {}, t0));
    state = await replay(history, input);
    const again = await replay(history, input);
    expect(again.actions).toEqual(state.actions);
    const before = activities(await replay(prefix, input));
    expect(activities(state).slice(0, before.length)).toEqual(before);
    expect(activities(state)).toHaveLength(6);
  });

  it("continues as new after chunksPerExecution chunks, so a large data set keeps a small history", async () => {
    // 10,000 lines in 200 chunks of 50: each execution handles 8 chunks, then continues as new.
    let input: Record<string, unknown> = {
      run: "r1",
      plan: plan({ chunks: 200, window: 4, chunksPerExecution: 8 }),
    };
    const executions: number[] = [];
    const seen: number[] = [];
    for (let execution = 0; execution < 100; execution++) {
      const history = started(input);
      let state = await replay(history, input);
      while (!state.isDone) {
        for (const id of schedule(history, state)) history.push(historyEvents.taskCompleted(id, {}, t0));
        state = await replay(history, input);
      }
      executions.push(history.length);
      for (const action of chunkInputs(activities(state))) seen.push((action as { chunk: number }).chunk);
      const next = state.actions.flat().find((action) => action.actionType === ActionType.ContinueAsNew);
      if (!next) {
        expect(activities(state).at(-1)?.functionName).toBe(ACTIVITIES.finish);
        break;
      }
      input = next.input as Record<string, unknown>;
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, chunk) => chunk));
    expect(executions).toHaveLength(25);
    expect(Math.max(...executions)).toBeLessThan(40);
  });
});
