import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgressReporter, formatProgressLine } from "./progress.js";

function capture(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  let text = "";
  stream.on("data", (chunk) => {
    text += String(chunk);
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

const progress = (done: number, failed = 0) => ({
  run: "r1",
  total: 100,
  completed: done - failed,
  failed,
  reused: 0,
  startedAt: Date.now() - 10_000,
});

describe("progress", () => {
  it("prints plain periodic lines with done, failed, rate and ETA when not a TTY", () => {
    const out = capture(false);
    const reporter = createProgressReporter({ stream: out.stream, env: {}, intervalMs: 60_000 });
    reporter.update(progress(10, 1));
    reporter.update(progress(20, 2)); // within the interval: not printed
    reporter.stop(); // the last state is printed at the end
    const lines = out.text().trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^r1: 10\/100 lines \(1 failed\), 1\.0 lines\/s, ETA 9\ds$/);
    expect(lines[1]).toContain("20/100 lines (2 failed)");
  });

  it("draws a bar on a TTY", () => {
    const out = capture(true);
    const reporter = createProgressReporter({ stream: out.stream, env: {} });
    reporter.update(progress(50, 5));
    reporter.stop();
    expect(out.text()).toContain("50/100 lines | failed 5");
  });

  it("is silent under CI or when quiet", () => {
    for (const options of [{ env: { CI: "true" } }, { env: {}, quiet: true }]) {
      const out = capture(false);
      const reporter = createProgressReporter({ stream: out.stream, ...options });
      reporter.update(progress(1));
      reporter.stop();
      expect(out.text()).toBe("");
    }
  });

  it("shows reused lines of a resumed run", () => {
    expect(formatProgressLine({ ...progress(10), reused: 4 })).toContain("(0 failed, 4 reused)");
  });
});
