import type { Span } from "@opentelemetry/api";
import type { TokenUsage } from "./model-port.js";
import { isAsyncIterable } from "./node-runners/node-runner.js";
import { endSpanError, endSpanOk, MAX_ATTRIBUTE_LENGTH } from "./tracing.js";

/**
 * A streamed output keeps its span open until the caller has read it: the span then ends with the
 * text that went by (cut at the attribute limit) and the tokens the stream reported on the way, which
 * only exist once the model's last chunk has arrived. A caller that stops reading ends it with what it
 * read; a stream that fails ends it as an error.
 */
export function traceStream<T>(
  stream: AsyncIterable<T>,
  span: Span,
  usage: () => TokenUsage | undefined,
  status?: string,
): AsyncIterable<T> {
  return endAfter(stream, (outcome) => {
    if ("error" in outcome) endSpanError(span, outcome.error);
    else endSpanOk(span, outcome.text, usage(), status);
  });
}

/** Several streamed outputs of one span: it ends when the last of them does, with every output's text. */
export function traceStreams(
  outputs: Record<string, unknown>,
  span: Span,
  usage: () => TokenUsage | undefined,
): boolean {
  const streams = Object.entries(outputs).filter(([, value]) => isAsyncIterable(value));
  if (streams.length === 0) return false;
  const seen: Record<string, unknown> = { ...outputs };
  let open = streams.length;
  let failure: unknown;
  for (const [name, stream] of streams) {
    outputs[name] = endAfter(stream as AsyncIterable<unknown>, (outcome) => {
      if ("error" in outcome) failure ??= outcome.error;
      else seen[name] = outcome.text;
      if (--open > 0) return;
      if (failure !== undefined) endSpanError(span, failure);
      else endSpanOk(span, seen, usage());
    });
  }
  return true;
}

type Outcome = { text: string } | { error: unknown };

function endAfter<T>(stream: AsyncIterable<T>, end: (outcome: Outcome) => void): AsyncIterable<T> {
  return (async function* () {
    let text = "";
    let ended = false;
    try {
      for await (const chunk of stream) {
        if (text.length < MAX_ATTRIBUTE_LENGTH)
          text += typeof chunk === "string" ? chunk : JSON.stringify(chunk);
        yield chunk;
      }
    } catch (error) {
      ended = true;
      end({ error });
      throw error;
    } finally {
      // Completed, or the reader stopped early (return()): the span ends with what went by.
      if (!ended) end({ text });
    }
  })();
}
