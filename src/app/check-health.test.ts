import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppContext, createAppContext } from "./app-context.js";
import { checkHealth } from "./check-health.js";

describe("checkHealth (anonymous /api/health)", () => {
  let work: string;
  let real: AppContext;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "flowops-health-"));
    real = await createAppContext({ settings: { FLOWOPS_HOME: work }, flowsDir: work, log: () => {} });
  });
  afterAll(async () => {
    await real.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("probes the run store with one point read (no listing query), at most once per 5 s", async () => {
    const calls: string[] = [];
    const runs = Object.create(real.runs) as AppContext["runs"];
    runs.getRun = (name) => {
      calls.push(`getRun ${name}`);
      return real.runs.getRun(name);
    };
    runs.listRuns = () => {
      calls.push("listRuns");
      return real.runs.listRuns();
    };
    const app: AppContext = { ...real, runs };
    const first = await checkHealth(app, 1_000);
    await checkHealth(app, 3_000);
    expect(first.healthy).toBe(true);
    expect(calls).toEqual(["getRun _health-probe"]);
    await checkHealth(app, 7_000);
    expect(calls).toHaveLength(2);
  });

  it("reports an unreachable store as such, with its error in the log, not in the answer", async () => {
    const logged: string[] = [];
    const blobs = Object.create(real.blobs) as AppContext["blobs"];
    blobs.exists = async () => {
      throw new Error("AuthorizationFailure at https://acct.blob.core.windows.net/runs?sig=abc123secret");
    };
    const app: AppContext = { ...real, blobs, log: (_level, message) => logged.push(message) };
    const { healthy, body } = await checkHealth(app, 1_000);
    expect(healthy).toBe(false);
    expect(body).toEqual(
      expect.objectContaining({
        status: "Unhealthy",
        stores: {
          runs: { kind: "sqlite", status: "reachable" },
          blobs: { kind: "local", status: "unreachable" },
        },
      }),
    );
    expect(JSON.stringify(body)).not.toContain("AuthorizationFailure");
    expect(logged.join("\n")).toContain("AuthorizationFailure");
  });
});
