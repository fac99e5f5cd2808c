import { decodeQueueMessage } from "../stores/queue-messages.js";
import type { AppContext } from "./app-context.js";
import type { OrchestrationClient } from "./orchestration-client.js";
import { type StartedRun, startBulkRun } from "./start-bulk-run.js";

/**
 * A message on `{flow}-runs`: a bulk-run request, base64-encoded JSON (the Functions default) or
 * plain JSON, as text or already decoded by the host. Throws for a message that cannot be processed
 * (bad JSON, unknown flow, missing fields): the host retries it and then moves it to the poison queue.
 */
export async function handleRunMessage(
  app: AppContext,
  client: OrchestrationClient,
  flow: string,
  queue: string,
  message: unknown,
): Promise<StartedRun> {
  const body = typeof message === "string" ? decodeQueueMessage(message, queue) : message;
  const started = await startBulkRun(app, client, flow, body);
  app.log(
    "information",
    started.started
      ? `queue ${queue}: started run ${started.name}`
      : `queue ${queue}: run ${started.name} already exists (${started.status}); nothing started`,
  );
  return started;
}
