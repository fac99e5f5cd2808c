/** Queue names and message encoding for bulk runs: plain functions, no Storage SDK (the app imports them at start-up). */
import { UserError } from "../core/errors.js";

/** The Functions host's default: a message that failed this many deliveries goes to `{queue}-poison`. */
export const MAX_DEQUEUE_COUNT = 5;

/** A queue message that is neither JSON nor base64-encoded JSON. */
export class QueueMessageError extends UserError {
  constructor(queue: string, reason: string) {
    super(
      "BadQueueMessage",
      `A message on queue '${queue}' ${reason}. Send the run request as JSON, base64-encoded (the Functions ` +
        "default) or plain.",
    );
  }
}

/**
 * The queue name for a flow's bulk runs: `{flow}-runs`, the flow name lower-cased with `_` → `-`.
 * Throws when the result is not a valid queue name (3–63 of a-z, 0-9 and single dashes).
 */
export function runQueueName(flow: string): string {
  const name = `${flow.toLowerCase().replaceAll("_", "-")}-runs`;
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(name) || name.length > 63 - "-poison".length) {
    throw new UserError(
      "BadQueueName",
      `Flow '${flow}' gives queue name '${name}', which Azure Storage does not allow: use letters, digits, ` +
        "single '-' or '_' in flow names, at most 50 characters.",
      { field: "flow" },
    );
  }
  return name;
}

/** Base64 of the JSON text: what the Functions host expects by default (`messageEncoding: base64`). */
export function encodeQueueMessage(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

/** Reads a message written base64-encoded (the Functions default) or as plain JSON. */
export function decodeQueueMessage(text: string, queue = "the queue"): unknown {
  const trimmed = text.trim();
  let json = trimmed;
  if (!/^[{["]/.test(trimmed)) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) {
      throw new QueueMessageError(queue, "is neither JSON nor base64");
    }
    json = Buffer.from(trimmed, "base64").toString("utf8");
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new QueueMessageError(queue, `is not valid JSON (${(error as Error).message})`);
  }
}
