/**
 * Chunks arriving from a python worker, handed on as an async iterable while they arrive (no full
 * buffering: a chunk is kept only until the reader takes it), or joined once the call is over.
 */
export class ChunkChannel {
  private readonly queue: unknown[] = [];
  private readonly kept: unknown[] = [];
  private wake: (() => void) | undefined;
  private finished = false;
  private failure: unknown;
  private reading = false;

  push(value: unknown): void {
    if (this.reading) this.queue.push(value);
    else this.kept.push(value);
    this.wake?.();
  }

  close(error?: unknown): void {
    this.finished = true;
    if (error !== undefined) this.failure = error;
    this.wake?.();
  }

  /** The chunks received so far, joined as promptflow joins a generator's output for `flow test`. */
  joined(): unknown {
    return this.kept.every((c) => typeof c === "string") ? this.kept.join("") : [...this.kept];
  }

  get size(): number {
    return this.kept.length + this.queue.length;
  }

  /** Reads the chunks as they come; chunks received before the first read are yielded first. */
  async *stream(): AsyncGenerator<unknown> {
    this.reading = true;
    this.queue.unshift(...this.kept.splice(0));
    while (true) {
      if (this.queue.length > 0) {
        yield this.queue.shift();
        continue;
      }
      if (this.finished) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    if (this.failure !== undefined) throw this.failure;
  }
}
