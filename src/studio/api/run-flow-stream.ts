import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { UserError } from "../../core/errors.js";
import { flushTelemetry } from "../../telemetry/index.js";
import type { StudioContext } from "../studio-context.js";
import { errorResponse } from "./studio-errors.js";

const runRequestSchema = z.object({
  inputs: z.record(z.string(), z.unknown()).default({}),
  variant: z
    .string()
    .regex(/^\$\{[A-Za-z_][\w-]*\.[\w-]+\}$/, "a variant is written ${node.variant_id}")
    .optional(),
});

/** The most characters one streamed output keeps for the final `done` event. */
const MAX_OUTPUT_CHARS = 1_000_000;

/**
 * `POST /api/studio/flows/:name/run` with `{ inputs, variant? }`: runs the flow once and answers with
 * server-sent events: `start` (the run id its trace is recorded under), `chunk` per piece of a streaming
 * output, then `done` with the outputs, token usage and each node's status (or `error`). Closing the
 * connection cancels the run.
 */
export async function runFlowStream(c: Context, studio: StudioContext, name: string): Promise<Response> {
  let request: z.infer<typeof runRequestSchema>;
  try {
    const parsed = runRequestSchema.safeParse(await c.req.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError(
        "BadRequest",
        `The run request is not valid: ${issue?.path.join(".") || "body"}: ${issue?.message}. Send {"inputs": {...}, "variant": "\${node.variant_id}"}.`,
        { field: issue?.path.join(".") || "body" },
      );
    }
    request = parsed.data;
  } catch (error) {
    if (error instanceof SyntaxError)
      return errorResponse(
        c,
        new UserError("BadRequest", "The request body is not valid JSON.", { field: "body" }),
      );
    return errorResponse(c, error);
  }
  let loaded: Awaited<ReturnType<StudioContext["flows"]["load"]>>;
  try {
    loaded = await studio.flows.load(name);
  } catch (error) {
    return errorResponse(c, error);
  }
  const runId = `studio-${randomUUID()}`;
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    const started = Date.now();
    await stream.writeSSE({ event: "start", data: JSON.stringify({ run_id: runId }) });
    try {
      const result = await loaded.executor.run(request.inputs, {
        stream: true,
        runId,
        signal: abort.signal,
        ...(request.variant ? { variant: request.variant } : {}),
      });
      const outputs: Record<string, unknown> = {};
      for (const [output, value] of Object.entries(result.outputs)) {
        if (!isAsyncIterable(value)) {
          outputs[output] = value;
          continue;
        }
        let text = "";
        for await (const chunk of value) {
          const piece = typeof chunk === "string" ? chunk : JSON.stringify(chunk);
          if (text.length < MAX_OUTPUT_CHARS) text += piece;
          await stream.writeSSE({ event: "chunk", data: JSON.stringify({ output, chunk: piece }) });
        }
        outputs[output] = text;
      }
      await flushTelemetry().catch(() => undefined);
      const nodes = Object.fromEntries(
        Object.entries(result.nodes).map(([node, record]) => [
          node,
          { status: record.status, ...(record.error ? { error: record.error } : {}) },
        ]),
      );
      await stream.writeSSE({
        event: "done",
        data: JSON.stringify({
          run_id: runId,
          outputs,
          usage: result.usage,
          nodes,
          duration_ms: Date.now() - started,
        }),
      });
    } catch (error) {
      await flushTelemetry().catch(() => undefined);
      const body = (await errorResponse(c, error).json()) as { error: unknown };
      await stream.writeSSE({ event: "error", data: JSON.stringify({ run_id: runId, ...body }) });
    }
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && Symbol.asyncIterator in value;
}
