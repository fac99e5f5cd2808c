import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { OrchestrationContext } from "durable-functions";
import { afterEach, describe, expect, it } from "vitest";
import type { OrchestratorGenerator } from "./durable/durable-internals.js";
import { LocalDurableRuntime } from "./durable/local-durable-runtime.js";
import { readHostSettings, timeSpanSeconds } from "./host-settings.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function temporary(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "flowops-host-"));
  folders.push(folder);
  return folder;
}

describe("host settings", () => {
  it("reads host.json's queue and durable settings, with the Functions host's environment overrides", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    expect(readHostSettings(root, {})).toEqual({
      maxDequeueCount: 5,
      batchSize: 16,
      retryDelaySeconds: 30,
      maxPollingIntervalMs: 2000,
      maxConcurrentActivities: 32,
    });
    const overridden = readHostSettings(root, {
      AzureFunctionsJobHost__extensions__queues__visibilityTimeout: "00:00:00",
      AzureFunctionsJobHost__extensions__queues__maxDequeueCount: "3",
    });
    expect(overridden).toEqual(expect.objectContaining({ retryDelaySeconds: 0, maxDequeueCount: 3 }));
    expect(timeSpanSeconds("1.02:03:04.5")).toBe(93_784.5);
  });
});

describe("LocalDurableRuntime", () => {
  /** Fans out three activities, then sums their results. */
  const fanOut: OrchestratorGenerator = function* (context: OrchestrationContext) {
    const { items } = context.df.getInput() as { items: number[] };
    const results = (yield context.df.Task.all(
      items.map((item) => context.df.callActivity("double", item)),
    )) as number[];
    return results.reduce((sum, value) => sum + value, 0);
  };

  it("runs an orchestration to completion and refuses a second start of the same instance id", async () => {
    const runtime = new LocalDurableRuntime({
      stateDir: temporary(),
      orchestrations: { fanOut },
      activities: { double: async (input) => (input as number) * 2 },
    });
    await runtime.startNew("fanOut", { instanceId: "sum-1", input: { items: [1, 2, 3] } });
    await expect(runtime.startNew("fanOut", { instanceId: "sum-1", input: {} })).rejects.toThrow(
      /already exists/,
    );
    await runtime.whenIdle();
    expect(await runtime.getStatus("sum-1")).toEqual(
      expect.objectContaining({ runtimeStatus: "Completed", output: 12 }),
    );
    expect(await runtime.getStatus("nope")).toBeUndefined();
  });

  it("resumes from its saved history after a crash, re-running only the activities that never completed", async () => {
    const stateDir = temporary();
    const calls: number[] = [];
    const crashed = new LocalDurableRuntime({
      stateDir,
      orchestrations: { fanOut },
      activities: {
        double: async (input) => {
          calls.push(input as number);
          if (input === 3) return new Promise(() => {}); // still running when the process dies
          return (input as number) * 2;
        },
      },
    });
    await crashed.startNew("fanOut", { instanceId: "sum-2", input: { items: [1, 2, 3] } });
    while (calls.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50)); // 1 and 2 recorded
    crashed.stop(); // the process is gone: nothing more is recorded or scheduled

    const restarted = new LocalDurableRuntime({
      stateDir,
      orchestrations: { fanOut },
      activities: {
        double: async (input) => {
          calls.push(input as number);
          return (input as number) * 2;
        },
      },
    });
    expect(restarted.resume()).toBe(1);
    await restarted.whenIdle();
    expect(await restarted.getStatus("sum-2")).toEqual(
      expect.objectContaining({ runtimeStatus: "Completed", output: 12 }),
    );
    expect(calls.sort()).toEqual([1, 2, 3, 3]);
  });

  it("quarantines a truncated or corrupt instance file with a warning naming it, and resumes the others", async () => {
    const stateDir = temporary();
    const crashed = new LocalDurableRuntime({
      stateDir,
      orchestrations: { fanOut },
      activities: { double: () => new Promise(() => {}) },
    });
    await crashed.startNew("fanOut", { instanceId: "kept", input: { items: [1, 2] } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    crashed.stop();
    const saved = readFileSync(path.join(stateDir, "kept.json"), "utf8");
    writeFileSync(path.join(stateDir, "truncated.json"), saved.slice(0, saved.length >> 1));
    writeFileSync(path.join(stateDir, "not-a-record.json"), "[1, 2]");

    const warnings: string[] = [];
    const restarted = new LocalDurableRuntime({
      stateDir,
      orchestrations: { fanOut },
      activities: { double: async (input) => (input as number) * 2 },
      log: (level, message) => {
        if (level === "warning") warnings.push(message);
      },
    });
    expect(restarted.resume()).toBe(1);
    await restarted.whenIdle();
    expect(await restarted.getStatus("kept")).toEqual(
      expect.objectContaining({ runtimeStatus: "Completed", output: 6 }),
    );
    expect(warnings).toHaveLength(2);
    expect(warnings.join("\n")).toContain(path.join(stateDir, "truncated.json"));
    expect(warnings.join("\n")).toContain(path.join(stateDir, "not-a-record.json"));
    const left = readdirSync(stateDir).sort();
    expect(left.filter((name) => name.endsWith(".json"))).toEqual(["kept.json"]);
    expect(left.filter((name) => name.includes(".json.corrupt-"))).toHaveLength(2);
    expect(await restarted.getStatus("truncated")).toBeUndefined();
  });

  it("marks the instance Failed with the orchestrator's error", async () => {
    const failing: OrchestratorGenerator = function* (context: OrchestrationContext) {
      yield context.df.callActivity("boom", null);
      return "unreachable";
    };
    const runtime = new LocalDurableRuntime({
      stateDir: temporary(),
      orchestrations: { failing },
      activities: {
        boom: async () => {
          throw new Error("activity exploded");
        },
      },
    });
    await runtime.startNew("failing", { instanceId: "f-1", input: null });
    await runtime.whenIdle();
    expect(await runtime.getStatus("f-1")).toEqual(expect.objectContaining({ runtimeStatus: "Failed" }));
  });
});
