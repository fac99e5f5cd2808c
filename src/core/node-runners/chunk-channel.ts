/**
 * Chunks arriving from a python worker, handed on as an async iterable while they arrive (no full
 * buffering: a chunk is kept only until the reader takes it), or joined once the call is over.
 */
export class ChunkChannel {
  private readonly queue: unknown[] = [];
  private readonly kept: unknown[] = [];
  /** Each kept chunk as text: python's str() of a non-string chunk when the worker sent it. */
  private readonly keptText: string[] = [];
  private wake: (() => void) | undefined;
  private finished = false;
  private failure: unknown;
  private reading = false;

  push(value: unknown, text?: string): void {
    if (this.reading) this.queue.push(value);
    else {
      this.kept.push(value);
      this.keptText.push(typeof value === "string" ? value : (text ?? (value == null ? "" : String(value))));
    }
    this.wake?.();
  }

  close(error?: unknown): void {
    this.finished = true;
    if (error !== undefined) this.failure = error;
    this.wake?.();
  }

  /**
   * The chunks received so far, joined as promptflow joins a generator's output when the run does not
   * stream (`"".join(str(chunk) for chunk in output)`).
   */
  joined(): string {
    return this.keptText.join("");
  }

  get size(): number {
    return this.kept.length + this.queue.length;
  }

  /** Reads the chunks as they come; chunks received before the first read are yielded first. */
  async *stream(): AsyncGenerator<unknown> {
    this.reading = true;
    this.queue.unshift(...this.kept.splice(0));
    this.keptText.length = 0;
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
