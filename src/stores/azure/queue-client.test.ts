import { QueueServiceClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzuriteInstance, startAzurite } from "../../../tests/support/azurite.js";
import {
  decodeQueueMessage,
  encodeQueueMessage,
  openRunQueue,
  QueueMessageError,
  RunQueue,
  runQueueName,
} from "./queue-client.js";

let azurite: AzuriteInstance;
let service: QueueServiceClient;
let flows = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  service = QueueServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(async () => {
  await azurite?.stop();
});

const newQueue = () => new RunQueue(service, `Flow_${++flows}`).ensure();
const request = {
  name: "run-1",
  data: [{ question: "q" }],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a flow column mapping, not a JS template
  column_mapping: { question: "${data.question}" },
};

describe("run queue names", () => {
  it("is {flow}-runs, lower-cased with _ turned into -", () => {
    expect(runQueueName("QnA_Flow")).toBe("qna-flow-runs");
    expect(runQueueName("web-classification")).toBe("web-classification-runs");
  });

  it("refuses a flow name that gives no valid queue name", () => {
    expect(() => runQueueName("a b")).toThrow(/not allow/);
    expect(() => runQueueName("x".repeat(60))).toThrow(/at most 50/);
    expect(() => runQueueName("a__b")).toThrow(/not allow/);
  });
});

describe("queue messages", () => {
  it("are written base64-encoded, as the Functions host expects", () => {
    const text = encodeQueueMessage(request);
    expect(JSON.parse(Buffer.from(text, "base64").toString("utf8"))).toEqual(request);
  });

  it("are read base64-encoded or as plain JSON", () => {
    expect(decodeQueueMessage(encodeQueueMessage(request))).toEqual(request);
    expect(decodeQueueMessage(JSON.stringify(request))).toEqual(request);
    expect(decodeQueueMessage(`  ${JSON.stringify(request)}\n`)).toEqual(request);
  });

  it("fail with QueueMessageError naming the queue when neither", () => {
    expect(() => decodeQueueMessage("not json!", "qna-runs")).toThrow(QueueMessageError);
    expect(() => decodeQueueMessage("not json!", "qna-runs")).toThrow(/qna-runs/);
    expect(() => decodeQueueMessage("{ broken", "qna-runs")).toThrow(/not valid JSON/);
    expect(() => decodeQueueMessage(Buffer.from("{ broken").toString("base64"))).toThrow(QueueMessageError);
  });
});

describe("run queue on Azurite", () => {
  it("sends, receives, decodes and deletes a message", async () => {
    const queue = await newQueue();
    await queue.send(request);
    const [message] = await queue.receive();
    expect(message).toBeDefined();
    if (!message) return;
    expect(message.dequeueCount).toBe(1);
    expect(queue.decode(message)).toEqual(request);
    await queue.delete(message);
    expect((await queue.queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it("reads plain JSON messages that another sender put on the queue", async () => {
    const queue = await newQueue();
    await queue.queue.sendMessage(JSON.stringify(request));
    const [message] = await queue.receive();
    expect(message && queue.decode(message)).toEqual(request);
  });

  it("hides a received message until released, then delivers it again with a higher dequeue count", async () => {
    const queue = await newQueue();
    await queue.send(request);
    const [first] = await queue.receive({ visibilityTimeoutSeconds: 60 });
    expect(await queue.receive()).toEqual([]);
    await queue.release(first as NonNullable<typeof first>);
    const [second] = await queue.receive();
    expect(second?.messageId).toBe(first?.messageId);
    expect(second?.dequeueCount).toBe(2);
  });

  it("poisons a message after its last allowed delivery, keeping its text", async () => {
    const queue = await newQueue();
    await queue.queue.sendMessage("not json!");
    let poisoned = false;
    let deliveries = 0;
    while (!poisoned && deliveries < 10) {
      const [message] = await queue.receive();
      if (!message) throw new Error("message vanished before it was poisoned");
      deliveries++;
      expect(() => queue.decode(message)).toThrow(QueueMessageError);
      poisoned = await queue.fail(message, { maxDequeueCount: 3 });
    }
    expect(deliveries).toBe(3);
    expect(await queue.receive()).toEqual([]);
    const { receivedMessageItems } = await queue.poisonQueue.receiveMessages();
    expect(receivedMessageItems.map((m) => m.messageText)).toEqual(["not json!"]);
    expect(queue.poisonQueue.name).toBe(`${queue.name}-poison`);
  });

  it("opens a flow's queue from the AzureWebJobsStorage setting", async () => {
    const queue = await openRunQueue("Settings_Flow", {
      AzureWebJobsStorage: azurite.connectionString,
    }).ensure();
    expect(queue.name).toBe("settings-flow-runs");
    await queue.send({ name: "r" });
    const [message] = await queue.receive();
    expect(message && queue.decode(message)).toEqual({ name: "r" });
  });
});
