import type { QueueClient, QueueServiceClient } from "@azure/storage-queue";
import {
  decodeQueueMessage,
  encodeQueueMessage,
  MAX_DEQUEUE_COUNT,
  QueueMessageError,
  runQueueName,
} from "../queue-messages.js";
import { createQueueServiceClient, type Settings } from "./credentials.js";

export { decodeQueueMessage, encodeQueueMessage, MAX_DEQUEUE_COUNT, QueueMessageError, runQueueName };

export interface ReceivedMessage {
  messageId: string;
  popReceipt: string;
  /** How many times this message was delivered, this delivery included. */
  dequeueCount: number;
  /** The message text exactly as it sits on the queue. */
  text: string;
}

/**
 * Send/receive/delete/poison for one flow's `{flow}-runs` queue and its `{flow}-runs-poison` queue,
 * with the Functions host's conventions: base64 messages, dequeue counts, poison after
 * MAX_DEQUEUE_COUNT failed deliveries, the original text kept in the poison queue.
 */
export class RunQueue {
  readonly name: string;
  readonly queue: QueueClient;
  readonly poisonQueue: QueueClient;

  constructor(service: QueueServiceClient, flow: string) {
    this.name = runQueueName(flow);
    this.queue = service.getQueueClient(this.name);
    this.poisonQueue = service.getQueueClient(`${this.name}-poison`);
  }

  /** Creates both queues when missing (emulators and first runs; in Azure the infrastructure may). */
  async ensure(): Promise<this> {
    await Promise.all([this.queue.createIfNotExists(), this.poisonQueue.createIfNotExists()]);
    return this;
  }

  /** Sends a value as base64-encoded JSON; returns the message id. */
  async send(value: unknown, options: { visibilityTimeoutSeconds?: number } = {}): Promise<string> {
    const sent = await this.queue.sendMessage(encodeQueueMessage(value), {
      ...(options.visibilityTimeoutSeconds ? { visibilityTimeout: options.visibilityTimeoutSeconds } : {}),
    });
    return sent.messageId;
  }

  /** Receives up to `max` messages (1–32), hiding them for `visibilityTimeoutSeconds` (default 30). */
  async receive(
    options: { max?: number; visibilityTimeoutSeconds?: number } = {},
  ): Promise<ReceivedMessage[]> {
    const response = await this.queue.receiveMessages({
      numberOfMessages: options.max ?? 1,
      visibilityTimeout: options.visibilityTimeoutSeconds ?? 30,
    });
    return response.receivedMessageItems.map((item) => ({
      messageId: item.messageId,
      popReceipt: item.popReceipt,
      dequeueCount: item.dequeueCount,
      text: item.messageText,
    }));
  }

  /** Decodes a received message's JSON (base64 or plain); throws QueueMessageError. */
  decode(message: ReceivedMessage): unknown {
    return decodeQueueMessage(message.text, this.name);
  }

  /** Removes a processed message. */
  async delete(message: ReceivedMessage): Promise<void> {
    await this.queue.deleteMessage(message.messageId, message.popReceipt);
  }

  /** Makes a failed message visible again after `delaySeconds` (a retry, as the host does). */
  async release(message: ReceivedMessage, delaySeconds = 0): Promise<void> {
    await this.queue.updateMessage(message.messageId, message.popReceipt, undefined, delaySeconds);
  }

  /** Moves a message, text unchanged, to `{queue}-poison` and removes it from the queue. */
  async poison(message: ReceivedMessage): Promise<void> {
    await this.poisonQueue.sendMessage(message.text);
    await this.delete(message);
  }

  /**
   * After a failed delivery: poison the message when it has used its MAX_DEQUEUE_COUNT deliveries,
   * otherwise release it for another try. Resolves to true when it was poisoned.
   */
  async fail(
    message: ReceivedMessage,
    options: { maxDequeueCount?: number; delaySeconds?: number } = {},
  ): Promise<boolean> {
    if (message.dequeueCount >= (options.maxDequeueCount ?? MAX_DEQUEUE_COUNT)) {
      await this.poison(message);
      return true;
    }
    await this.release(message, options.delaySeconds ?? 0);
    return false;
  }
}

/** The run queue of `flow` on the `AzureWebJobsStorage` connection (or the one named). */
export function openRunQueue(flow: string, settings: Settings = process.env, connection?: string): RunQueue {
  return new RunQueue(createQueueServiceClient(settings, connection), flow);
}
