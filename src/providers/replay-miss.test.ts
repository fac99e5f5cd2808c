import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatRequest } from "../core/model-port.js";
import { aroundDifference } from "./closest-recording.js";
import { createRecordingStore, RecordingNotFoundError } from "./record-replay.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "flowops-replay-miss-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const ask = (text: string, temperature = 0): ChatRequest => ({
  api: "chat",
  connection: "aoai",
  model: "gpt-35-turbo",
  node: "NER_LLM",
  messages: [
    { role: "system", content: "Extract entities." },
    { role: "user", content: `Entity type: job title\nText content: ${text}` },
  ],
  parameters: { temperature },
});
const answer = { text: "x", usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };

async function missOf(request: ChatRequest): Promise<RecordingNotFoundError> {
  const error = await createRecordingStore(dir)
    .require(request)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RecordingNotFoundError);
  return error as RecordingNotFoundError;
}

describe("a replay miss explains itself", () => {
  it("new inputs: says so, quotes the closest recorded prompt around the difference, says how to record", async () => {
    const store = createRecordingStore(dir);
    await store.write(
      ask("The project manager and the data analyst are collaborating to interpret the data."),
      answer,
    );
    await store.write(ask("Snow closed the pass between Innsbruck and Bolzano."), answer);
    const error = await missOf(ask("The project manager and the data analyst are collaborating."));
    expect(error.reason.kind).toBe("new-inputs");
    expect(error.message).toContain("These inputs are new");
    expect(error.message).not.toContain("parameters changed");
    expect(error.message).toContain("data analyst are collaborating to interpret the data.");
    expect(error.message).toContain("FLOWOPS_LLM_MODE=record flowops flow test");
    expect(error.message).toContain("FLOWOPS_LLM_MODE=mock");
  });

  it("same prompt, other parameters: names what changed", async () => {
    await createRecordingStore(dir).write(ask("Ada met Charles."), answer);
    const error = await missOf(ask("Ada met Charles.", 0.7));
    expect(error.reason).toEqual({ kind: "parameters", node: "NER_LLM", differs: ["parameters"] });
    expect(error.message).toContain("the node's parameters changed since it was recorded");
  });

  it("an empty folder says it has no recordings", async () => {
    const error = await missOf(ask("anything"));
    expect(error.message).toContain("has no recordings");
  });

  it("aroundDifference keeps the differing middle with bounded context", () => {
    const [a, b] = aroundDifference(
      `${"x".repeat(100)} cat ${"y".repeat(100)}`,
      `${"x".repeat(100)} dog ${"y".repeat(100)}`,
    );
    expect(a).toMatch(/^….*cat.*…$/);
    expect(b).toMatch(/^….*dog.*…$/);
    expect(a.length).toBeLessThan(120);
  });
});
