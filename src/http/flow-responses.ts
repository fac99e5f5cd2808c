import type { FlowFunction } from "../flow-function.js";
import { RequestError, toErrorResponse } from "./http-errors.js";

const JSON_TYPE = "application/json; charset=utf-8";

/** A JSON answer (the value serialised here, or a body serialised ahead of time). */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return rawJsonResponse(status, JSON.stringify(value), headers);
}

export function rawJsonResponse(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

/**
 * promptflow's content negotiation: `text/event-stream` named in Accept streams; JSON or any type (or
 * no Accept at all) gets JSON; anything else is 406.
 */
export function negotiate(accept: string | null | undefined): boolean {
  if (!accept || accept.trim() === "") return false;
  const types = accept.split(",").map((part) => part.split(";")[0]!.trim().toLowerCase());
  if (types.includes("text/event-stream")) return true;
  if (types.some((type) => type === "application/json" || type === "*/*" || type === "application/*"))
    return false;
  throw new RequestError(
    406,
    `media type '${accept.slice(0, 100)}' in Accept is not acceptable: use application/json or text/event-stream`,
    undefined,
    "NotAcceptable",
  );
}

export interface ScoreOptions {
  /** Whether the client asked for server-sent events (negotiate). */
  stream: boolean;
  /** The caller's signal: the run (and its model calls) stops when the caller leaves. */
  signal: AbortSignal;
  /** Told about a stream that failed after its first byte (the error still ends the stream as an event). */
  onStreamError?: (error: unknown, errorId: string | undefined) => void;
  /** Told when a streamed answer has ended, however it ended. */
  onStreamEnd?: () => void;
}

/**
 * Runs a flow on one set of inputs and answers as `flow serve` does: its outputs as JSON, or promptflow's
 * serving deltas as server-sent events (`data: <json>` per delta, `event: error` with the error body at
 * the end when it fails midway). Errors before the first byte are thrown, for the JSON error answer.
 */
export async function scoreFlow(
  flow: FlowFunction,
  inputs: Record<string, unknown>,
  options: ScoreOptions,
): Promise<Response> {
  if (!options.stream) return jsonResponse(200, await flow(inputs, { signal: options.signal }));
  const events = flow.stream(inputs, { signal: options.signal })[Symbol.asyncIterator]();
  // The first event decides the status: bad inputs still get a plain 400 before any byte is streamed.
  const first = await events.next();
  return sseResponse(first, events, options);
}

function sseResponse(
  first: IteratorResult<Record<string, unknown>>,
  events: AsyncIterator<Record<string, unknown>>,
  options: ScoreOptions,
): Response {
  const encoder = new TextEncoder();
  let next: IteratorResult<Record<string, unknown>> | undefined = first;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    options.onStreamEnd?.();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        next ??= await events.next();
        if (next.done) {
          controller.close();
          end();
          return;
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`));
        next = undefined;
      } catch (error) {
        if (options.signal.aborted) {
          controller.close();
          end();
          return;
        }
        const answer = toErrorResponse(error);
        options.onStreamError?.(error, answer.errorId);
        controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify(answer.body)}\n\n`));
        controller.close();
        end();
      }
    },
    async cancel() {
      end();
      await events.return?.();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}
