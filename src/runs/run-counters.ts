import type { TokenUsage } from "../core/model-port.js";
import { ConcurrencyConflictError, RunNotFoundError } from "../stores/errors.js";
import type { RunRecord, RunStore } from "../stores/run-store.js";

export const NO_USAGE: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

export function addUsage(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage {
  return {
    prompt_tokens: (a?.prompt_tokens ?? 0) + (b?.prompt_tokens ?? 0),
    completion_tokens: (a?.completion_tokens ?? 0) + (b?.completion_tokens ?? 0),
    total_tokens: (a?.total_tokens ?? 0) + (b?.total_tokens ?? 0),
  };
}

/**
 * A run's line counters and token usage, updated in batches: lines add to an in-memory delta that is
 * written at most every `intervalMs` (or every `maxPending` lines) as an increment under optimistic
 * concurrency, so several workers (fanned-out chunks) can count into one run record.
 */
export class RunCounters {
  private completed = 0;
  private failed = 0;
  private usage: TokenUsage = NO_USAGE;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<RunRecord | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly store: RunStore,
    private readonly run: string,
    private readonly options: {
      intervalMs?: number;
      maxPending?: number;
      onFlush?: (run: RunRecord) => void;
    } = {},
  ) {}

  add(status: "Completed" | "Failed", usage?: TokenUsage): void {
    if (status === "Completed") this.completed++;
    else this.failed++;
    if (usage) this.usage = addUsage(this.usage, usage);
    if (this.completed + this.failed >= (this.options.maxPending ?? 500)) void this.flush().catch(() => {});
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.options.intervalMs ?? 1000);
  }

  /** Writes the pending delta (if any); returns the stored run after the write. */
  flush(): Promise<RunRecord | undefined> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const delta = { completed: this.completed, failed: this.failed, usage: this.usage };
    this.completed = 0;
    this.failed = 0;
    this.usage = NO_USAGE;
    this.writing = this.writing.catch(() => undefined).then(() => this.write(delta));
    return this.writing;
  }

  private async write(delta: { completed: number; failed: number; usage: TokenUsage }): Promise<RunRecord> {
    for (let attempt = 0; ; attempt++) {
      const run = await this.store.getRun(this.run);
      if (!run) throw new RunNotFoundError(this.run);
      if (delta.completed === 0 && delta.failed === 0) {
        this.options.onFlush?.(run);
        return run;
      }
      try {
        const updated = await this.store.updateRun(
          this.run,
          {
            lines: {
              total: run.lines.total,
              completed: run.lines.completed + delta.completed,
              failed: run.lines.failed + delta.failed,
            },
            usage: addUsage(run.usage, delta.usage),
          },
          { ifMatch: run.etag },
        );
        this.options.onFlush?.(updated);
        return updated;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= 50) throw error;
      }
    }
  }
}
