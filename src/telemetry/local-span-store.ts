import { appendFile, mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { HrTime } from "@opentelemetry/api";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { redactSecrets, redactValue } from "./redact.js";
import type { StoredSpan } from "./stored-span.js";

export type { StoredSpan } from "./stored-span.js";

type ExportCallback = Parameters<SpanExporter["export"]>[1];
const SUCCESS = 0;
const FAILED = 1;
const STATUS = ["UNSET", "OK", "ERROR"];

/** The folder of the local span store under FLOWOPS_HOME. */
export function tracesDirectory(home: string): string {
  return path.join(home, "traces");
}

/** Appends finished spans, redacted, to `<home>/traces/<YYYY-MM-DD>.jsonl`. */
export class LocalSpanExporter implements SpanExporter {
  readonly #directory: string;
  #pending: Promise<unknown> = Promise.resolve();

  constructor(home: string) {
    this.#directory = tracesDirectory(home);
  }

  export(spans: ReadableSpan[], done: ExportCallback): void {
    const lines = spans.map((span) => JSON.stringify(toStoredSpan(span))).join("\n");
    const file = path.join(this.#directory, `${new Date().toISOString().slice(0, 10)}.jsonl`);
    // Writes are chained so that spans land in the order they were exported; the folder is (re)created
    // per batch, so that a store removed while the process runs comes back instead of failing.
    const write = this.#pending
      .then(() => mkdir(this.#directory, { recursive: true, mode: 0o700 }))
      .then(() => appendFile(file, `${lines}\n`, { mode: 0o600 }));
    this.#pending = write.then(
      () => done({ code: SUCCESS }),
      (error: Error) => done({ code: FAILED, error }),
    );
  }

  async forceFlush(): Promise<void> {
    await this.#pending;
  }

  async shutdown(): Promise<void> {
    await this.#pending;
  }
}

export function toStoredSpan(span: ReadableSpan): StoredSpan {
  const context = span.spanContext();
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    ...(span.parentSpanContext ? { parent_span_id: span.parentSpanContext.spanId } : {}),
    name: span.name,
    start_time: toIso(span.startTime),
    end_time: toIso(span.endTime),
    duration_ms: span.duration[0] * 1e3 + span.duration[1] / 1e6,
    status: STATUS[span.status.code] ?? "UNSET",
    ...(span.status.message ? { status_message: redactSecrets(span.status.message) } : {}),
    attributes: redactValue({ ...span.attributes }) as Record<string, unknown>,
    events: span.events.map((event) => ({
      name: redactSecrets(event.name),
      time: toIso(event.time),
      ...(event.attributes
        ? { attributes: redactValue({ ...event.attributes }) as Record<string, unknown> }
        : {}),
    })),
  };
}

/** Reads the stored spans, optionally those of one trace, oldest file first. */
export async function readStoredSpans(
  home: string,
  filter: { traceId?: string } = {},
): Promise<StoredSpan[]> {
  const directory = tracesDirectory(home);
  let files: string[];
  try {
    files = (await readdir(directory)).filter((name) => name.endsWith(".jsonl")).sort();
  } catch {
    return [];
  }
  const spans: StoredSpan[] = [];
  for (const file of files) {
    const text = await readFile(path.join(directory, file), "utf8");
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const span = JSON.parse(line) as StoredSpan;
      if (!filter.traceId || span.trace_id === filter.traceId) spans.push(span);
    }
  }
  return spans;
}

function toIso(time: HrTime): string {
  return new Date(time[0] * 1e3 + time[1] / 1e6).toISOString();
}
