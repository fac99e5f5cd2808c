import { type Attributes, type Context, context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { TokenUsage } from "./model-port.js";
import { isSecretFieldName } from "./secret-field-name.js";

/**
 * OpenTelemetry spans for flow runs (`flowops.flow`) and nodes (`flowops.node`), through
 * `@opentelemetry/api` only: the application registers the SDK and exporters. With no provider
 * registered spans are non-recording and nothing is serialised (every attribute write checks
 * `span.isRecording()` first). Values of secret-looking keys are redacted and long values truncated.
 */

const tracer = trace.getTracer("flowops");

export const MAX_ATTRIBUTE_LENGTH = 8_000;
const REDACTED = "***";

/** JSON of a value with secret-looking keys redacted, truncated to `limit` characters. */
export function traceValue(value: unknown, limit = MAX_ATTRIBUTE_LENGTH): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (key, v) => {
        if (key && isSecretFieldName(key) && v !== null && typeof v !== "object") return REDACTED;
        if (typeof v === "bigint") return v.toString();
        if (v && typeof v === "object" && Symbol.asyncIterator in v) return "<stream>";
        return v;
      }) ?? "null";
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit)}...(truncated)` : text;
}

export interface FlowSpanInfo {
  flowFile: string;
  runId?: string;
  lineNumber?: number;
  variant?: string;
}

export function startFlowSpan(info: FlowSpanInfo, inputs: Record<string, unknown>, parent?: Span): Span {
  // A flow run on behalf of another (a prompty called from python code) is a child of its caller's span.
  const span = parent
    ? tracer.startSpan("flowops.flow", undefined, spanContext(parent))
    : tracer.startSpan("flowops.flow");
  if (span.isRecording()) {
    const attributes: Attributes = {
      "flowops.flow.file": info.flowFile,
      "flowops.inputs": traceValue(inputs),
    };
    if (info.runId !== undefined) attributes["flowops.run.id"] = info.runId;
    if (info.lineNumber !== undefined) attributes["flowops.line.number"] = info.lineNumber;
    if (info.variant !== undefined) attributes["flowops.variant"] = info.variant;
    span.setAttributes(attributes);
  }
  return span;
}

/** The context to run a node in (so model-call spans nest under the node span). */
export function spanContext(span: Span): Context {
  return trace.setSpan(context.active(), span);
}

export function startNodeSpan(
  parent: Span,
  node: string,
  type: string,
  inputs: Record<string, unknown>,
): Span {
  if (!parent.isRecording()) return trace.wrapSpanContext(parent.spanContext());
  const span = tracer.startSpan("flowops.node", undefined, spanContext(parent));
  if (span.isRecording()) {
    span.setAttributes({
      "flowops.node.name": node,
      "flowops.node.type": type,
      "flowops.inputs": traceValue(inputs),
    });
  }
  return span;
}

export function endSpanOk(span: Span, output: unknown, usage?: TokenUsage, status?: string): void {
  if (span.isRecording()) {
    const attributes: Attributes = { "flowops.output": traceValue(output) };
    if (status) attributes["flowops.status"] = status;
    if (usage) {
      attributes["llm.usage.prompt_tokens"] = usage.prompt_tokens;
      attributes["llm.usage.completion_tokens"] = usage.completion_tokens;
      attributes["llm.usage.total_tokens"] = usage.total_tokens;
    }
    span.setAttributes(attributes);
    span.setStatus({ code: SpanStatusCode.OK });
  }
  span.end();
}

export function endSpanError(span: Span, error: unknown): void {
  if (span.isRecording()) {
    const message = error instanceof Error ? error.message : String(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttribute("flowops.status", "Failed");
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}

/** Runs `fn` with `span` as the active span when tracing is on; calls it directly otherwise. */
export function withSpan<T>(span: Span, fn: () => T): T {
  return span.isRecording() ? context.with(spanContext(span), fn) : fn();
}
