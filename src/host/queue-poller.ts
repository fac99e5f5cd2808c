import { setTimeout as sleep } from "node:timers/promises";
import type { QueueServiceClient } from "@azure/storage-queue";
import type { Invocation, QueueFunction } from "../app/function-table.js";
import { type ReceivedMessage, RunQueue } from "../stores/azure/queue-client.js";
import type { HostSettings } from "./host-settings.js";

const MIN_POLL_MS = 50;
/** How long a received message stays hidden while its handler runs. */
const VISIBILITY_TIMEOUT_SECONDS = 60;

/**
 * A queue trigger as the Functions host runs it: polls `{flow}-runs` (backing off to
 * maxPollingInterval while empty), hands each message to the function, deletes it on success, and on
 * failure makes it visible again after the retry delay until its dequeue count reaches
 * maxDequeueCount, when it moves to `{queue}-poison` with the reason logged.
 */
export class QueuePoller {
  private readonly queue: RunQueue;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly wake = new AbortController();

  constructor(
    service: QueueServiceClient,
    private readonly fn: QueueFunction,
    private readonly invocation: Invocation,
    private readonly settings: HostSettings,
  ) {
    this.queue = new RunQueue(service, fn.flow);
  }

  get name(): string {
    return this.queue.name;
  }

  async start(): Promise<void> {
    await this.queue.ensure();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let delay = MIN_POLL_MS;
    while (!this.stopped) {
      let messages: ReceivedMessage[] = [];
      try {
        messages = await this.queue.receive({
          max: Math.min(32, Math.max(1, this.settings.batchSize)),
          visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
        });
      } catch (error) {
        this.log("warning", `cannot read queue ${this.name}: ${(error as Error).message}`);
      }
      if (messages.length > 0) {
        delay = MIN_POLL_MS;
        await Promise.all(messages.map((message) => this.process(message)));
        continue;
      }
      await sleep(delay, undefined, { signal: this.wake.signal }).catch(() => undefined);
      delay = Math.min(delay * 2, Math.max(MIN_POLL_MS, this.settings.maxPollingIntervalMs));
    }
  }

  private async process(message: ReceivedMessage): Promise<void> {
    try {
      await this.fn.handler(message.text, this.invocation);
    } catch (error) {
      const reason = (error as Error).message;
      try {
        const poisoned = await this.queue.fail(message, {
          maxDequeueCount: this.settings.maxDequeueCount,
          delaySeconds: this.settings.retryDelaySeconds,
        });
        if (poisoned) {
          this.log(
            "error",
            `queue ${this.name}: message ${message.messageId} failed ${message.dequeueCount} times and was moved to ${this.name}-poison: ${reason}`,
          );
        } else {
          this.log(
            "warning",
            `queue ${this.name}: message ${message.messageId} failed (delivery ${message.dequeueCount} of ${this.settings.maxDequeueCount}): ${reason}`,
          );
        }
      } catch (failure) {
        this.log(
          "warning",
          `queue ${this.name}: could not release message ${message.messageId}: ${(failure as Error).message}`,
        );
      }
      return;
    }
    await this.queue
      .delete(message)
      .catch((error: Error) =>
        this.log(
          "warning",
          `queue ${this.name}: could not delete message ${message.messageId}: ${error.message}`,
        ),
      );
  }

  private log(level: "information" | "warning" | "error", message: string): void {
    this.invocation.app.log(level, message);
  }
}
