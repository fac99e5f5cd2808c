import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { type StoredSpan, tracesDirectory } from "../../telemetry/index.js";
import type { TraceSummary } from "./trace-summary.js";

export type { TraceSummary } from "./trace-summary.js";

/** Longest span line read; longer lines (not written by flowops) are skipped. */
const MAX_LINE_CHARS = 1_000_000;

/** Day files of the local span store, newest first. */
async function spanFiles(home: string): Promise<string[]> {
  const directory = tracesDirectory(home);
  try {
    return (await readdir(directory))
      .filter((name) => /^[\w.-]+\.jsonl$/.test(name))
      .sort()
      .reverse()
      .map((name) => path.join(directory, name));
  } catch {
    return [];
  }
}

/** Streams the spans of one day file; malformed lines are skipped. */
async function* readSpans(file: string): AsyncGenerator<StoredSpan> {
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line.length === 0 || line.length > MAX_LINE_CHARS) continue;
    try {
      const span = JSON.parse(line) as StoredSpan;
      if (typeof span.trace_id === "string" && typeof span.span_id === "string") yield span;
    } catch {
      // a line cut short by a crash, or not a span
    }
  }
}

/** Every span of a trace, oldest first (empty when the store has none). */
export async function readTrace(home: string, traceId: string): Promise<StoredSpan[]> {
  const spans: StoredSpan[] = [];
  for (const file of await spanFiles(home)) {
    const before = spans.length;
    for await (const span of readSpans(file)) if (span.trace_id === traceId) spans.push(span);
    // A trace spans at most two day files (a run across midnight): stop after the older one.
    if (before > 0 && spans.length === before) break;
  }
  return spans.sort((a, b) => a.start_time.localeCompare(b.start_time));
}

/**
 * Root spans (flow runs), newest first: those of a run (and line) when given, else the most recent.
 * `offset`/`limit` page through them.
 */
export async function listTraces(
  home: string,
  filter: { run?: string; line?: number; offset?: number; limit?: number } = {},
): Promise<{ traces: TraceSummary[]; more: boolean }> {
  const offset = filter.offset ?? 0;
  const limit = filter.limit ?? 50;
  const found: TraceSummary[] = [];
  for (const file of await spanFiles(home)) {
    const inFile: TraceSummary[] = [];
    for await (const span of readSpans(file)) {
      if (span.parent_span_id || span.name !== "flowops.flow") continue;
      const summary = summarise(span);
      if (filter.run !== undefined && summary.run_id !== filter.run) continue;
      if (filter.line !== undefined && summary.line_number !== filter.line) continue;
      inFile.push(summary);
    }
    found.push(...inFile.sort((a, b) => b.start_time.localeCompare(a.start_time)));
    if (found.length > offset + limit) break;
  }
  return { traces: found.slice(offset, offset + limit), more: found.length > offset + limit };
}

function summarise(span: StoredSpan): TraceSummary {
  const attributes = span.attributes;
  const flow = attributes["flowops.flow.file"];
  const run = attributes["flowops.run.id"];
  const line = attributes["flowops.line.number"];
  const tokens = attributes["llm.usage.total_tokens"];
  return {
    trace_id: span.trace_id,
    name: span.name,
    ...(typeof flow === "string" ? { flow: path.basename(path.dirname(flow)) } : {}),
    ...(typeof run === "string" ? { run_id: run } : {}),
    ...(typeof line === "number" ? { line_number: line } : {}),
    start_time: span.start_time,
    duration_ms: span.duration_ms,
    status: span.status,
    ...(typeof tokens === "number" ? { total_tokens: tokens } : {}),
  };
}
