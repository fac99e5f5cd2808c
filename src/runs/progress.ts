import cliProgress from "cli-progress";
import type { BatchProgress } from "./run-batch.js";

export interface ProgressReporter {
  update(progress: BatchProgress): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Where to draw; default stderr (stdout stays for the run name / JSON). */
  stream?: NodeJS.WriteStream;
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
  /** How often a plain line is printed when the stream is not a TTY; default 10 s. */
  intervalMs?: number;
}

/**
 * The batch progress display: a bar with done/failed/rate/ETA on a terminal, a plain line every
 * `intervalMs` otherwise (logs), nothing when quiet or under CI.
 */
export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const env = options.env ?? process.env;
  const stream = options.stream ?? process.stderr;
  if (options.quiet || env["CI"]) return { update() {}, stop() {} };
  return stream.isTTY ? barReporter(stream) : plainReporter(stream, options.intervalMs ?? 10_000);
}

function rate(p: BatchProgress, now = Date.now()): number {
  const seconds = (now - p.startedAt) / 1000;
  return seconds > 0 ? (p.completed + p.failed) / seconds : 0;
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "{run} |{bar}| {value}/{total} lines | failed {failed} | {rate}/s | ETA {eta_formatted}",
      hideCursor: true,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = { run: p.run, failed: p.failed, rate: rate(p).toFixed(1) };
      if (!started) {
        bar.start(p.total, 0, payload);
        started = true;
      }
      bar.update(p.completed + p.failed, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function formatProgressLine(p: BatchProgress, now = Date.now()): string {
  const done = p.completed + p.failed;
  const perSecond = rate(p, now);
  const eta = perSecond > 0 ? Math.ceil((p.total - done) / perSecond) : undefined;
  const reused = p.reused ? `, ${p.reused} reused` : "";
  return `${p.run}: ${done}/${p.total} lines (${p.failed} failed${reused}), ${perSecond.toFixed(1)} lines/s, ETA ${eta === undefined ? "?" : `${eta}s`}\n`;
}

function plainReporter(stream: NodeJS.WriteStream, intervalMs: number): ProgressReporter {
  let last: BatchProgress | undefined;
  let printedAt = 0;
  return {
    update(p) {
      last = p;
      const now = Date.now();
      if (now - printedAt >= intervalMs) {
        printedAt = now;
        stream.write(formatProgressLine(p, now));
      }
    },
    stop() {
      if (last) stream.write(formatProgressLine(last));
    },
  };
}
