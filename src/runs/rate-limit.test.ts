import { describe, expect, it } from "vitest";
import type { ChatRequest, ModelPort, ModelResponse } from "../core/model-port.js";
import { estimateTokens, limitModelPort } from "./rate-limit.js";

function recordingPort(usageTokens = 10) {
  const calledAt: number[] = [];
  const port: ModelPort = {
    async invoke(): Promise<ModelResponse> {
      calledAt.push(Date.now());
      return {
        text: "ok",
        usage: { prompt_tokens: usageTokens, completion_tokens: 0, total_tokens: usageTokens },
      };
    },
    async *stream() {
      yield { text: "ok" };
    },
  };
  return { port, calledAt };
}

const request = (connection: string, content = "hi", maxTokens = 0): ChatRequest => ({
  api: "chat",
  connection,
  model: "m",
  messages: [{ role: "user", content }],
  parameters: { max_tokens: maxTokens },
});

describe("limitModelPort", () => {
  it("holds a connection to its requests per interval, and leaves other connections alone", async () => {
    const { port, calledAt } = recordingPort();
    const limited = limitModelPort(port, { slow: { rpm: 3 } }, { intervalMs: 400 });
    const start = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limited.invoke(request("slow"))));
    const waited = calledAt.map((t) => t - start).sort((a, b) => a - b);
    expect(waited.slice(0, 3).every((ms) => ms < 100)).toBe(true);
    expect(waited[5]).toBeGreaterThanOrEqual(250);
    calledAt.length = 0;
    const free = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => limited.invoke(request("fast"))));
    expect(Math.max(...calledAt) - free).toBeLessThan(100);
  });

  it("holds a connection to its tokens per interval, charging the real usage above the estimate", async () => {
    const { port, calledAt } = recordingPort(90); // each call really uses 90 tokens
    const limited = limitModelPort(port, { c: { tpm: 100 } }, { intervalMs: 400 });
    const start = Date.now();
    await limited.invoke(request("c", "x".repeat(40), 10)); // estimate 20: goes at once
    await limited.invoke(request("c", "x".repeat(40), 10)); // waits: 90 of 100 already used
    expect(calledAt[0]! - start).toBeLessThan(100);
    expect(calledAt[1]! - start).toBeGreaterThanOrEqual(200);
  });

  it("estimates tokens from characters and the completion budget", () => {
    expect(estimateTokens(request("c", "x".repeat(400), 50))).toBe(
      Math.ceil(JSON.stringify(["x".repeat(400)]).length / 4) + 50,
    );
  });

  it("stops waiting when the call is aborted", async () => {
    const { port } = recordingPort();
    const limited = limitModelPort(port, { c: { rpm: 1 } }, { intervalMs: 60_000 });
    await limited.invoke(request("c"));
    const controller = new AbortController();
    const waiting = limited.invoke(request("c"), { signal: controller.signal });
    controller.abort(new Error("canceled"));
    await expect(waiting).rejects.toThrow("canceled");
  });
});
