import path from "node:path";
import { collectReportData } from "../../runs/reports/collect-report-data.js";
import { reportInputForRuns } from "../../runs/reports/report-input-for-runs.js";
import type { LineRecord, RunRecord, RunStatus, RunStore } from "../../stores/run-store.js";
import type { RunSummary } from "./run-summary.js";
import { StudioNotFoundError } from "./studio-errors.js";

export type { RunSummary } from "./run-summary.js";

export const RUN_STATUSES: readonly RunStatus[] = [
  "NotStarted",
  "Running",
  "Completed",
  "Failed",
  "Canceled",
];

export function summariseRun(record: RunRecord, now = Date.now()): RunSummary {
  const done = record.lines.completed + record.lines.failed;
  const start = record.started_on ? Date.parse(record.started_on) : undefined;
  const end = record.ended_on ? Date.parse(record.ended_on) : record.status === "Running" ? now : undefined;
  return {
    name: record.name,
    ...(record.display_name && record.display_name !== record.name
      ? { display_name: record.display_name }
      : {}),
    status: record.status,
    flow:
      record.flow.includes(":") && !record.flow.includes(path.sep) ? record.flow : path.basename(record.flow),
    ...(record.data ? { data: path.basename(record.data) } : {}),
    ...(record.run ? { run: record.run } : {}),
    ...(record.variant ? { variant: record.variant } : {}),
    ...(record.tags?.["experiment"] ? { experiment: record.tags["experiment"] } : {}),
    created_on: record.created_on,
    ...(start !== undefined && end !== undefined ? { duration_ms: Math.max(0, end - start) } : {}),
    lines: record.lines,
    progress:
      record.lines.total > 0 ? Math.min(1, done / record.lines.total) : record.status === "Completed" ? 1 : 0,
    tokens: record.usage.total_tokens,
    ...(record.metrics && Object.keys(record.metrics).length > 0 ? { metrics: record.metrics } : {}),
  };
}

/** A page of runs, newest first; `more` says whether another page follows. */
export async function listRunsPage(
  store: RunStore,
  options: { offset: number; limit: number; status?: RunStatus },
): Promise<{ runs: RunSummary[]; offset: number; limit: number; more: boolean }> {
  const records = await store.listRuns({
    offset: options.offset,
    limit: options.limit + 1,
    ...(options.status ? { status: options.status } : {}),
  });
  const now = Date.now();
  return {
    runs: records.slice(0, options.limit).map((record) => summariseRun(record, now)),
    offset: options.offset,
    limit: options.limit,
    more: records.length > options.limit,
  };
}

async function requireRun(store: RunStore, name: string): Promise<RunRecord> {
  const record = await store.getRun(name);
  if (!record) throw new StudioNotFoundError("run", name, "Pick one from the runs list.");
  return record;
}

/** A run page: the run, its base run (for an evaluation run) and the evaluation runs over it. */
export async function runDetail(store: RunStore, name: string) {
  const record = await requireRun(store, name);
  const evaluations: RunSummary[] = [];
  for (const other of await store.listRuns()) if (other.run === name) evaluations.push(summariseRun(other));
  return {
    run: summariseRun(record),
    ...(record.column_mapping ? { column_mapping: record.column_mapping } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(record.tags ? { tags: record.tags } : {}),
    evaluations,
  };
}

/** A page of a run's lines, optionally only the failed ones. */
export async function runLinesPage(
  store: RunStore,
  name: string,
  options: { offset: number; limit: number; failedOnly: boolean },
): Promise<{ lines: LineRecord[]; offset: number; limit: number; more: boolean }> {
  await requireRun(store, name);
  if (!options.failedOnly) {
    const lines = await store.getLines(name, { offset: options.offset, limit: options.limit + 1 });
    return {
      ...options,
      lines: lines.slice(0, options.limit).map(withoutNodeOutputs),
      more: lines.length > options.limit,
    };
  }
  const lines: LineRecord[] = [];
  let skipped = 0;
  for await (const line of store.iterateLines(name)) {
    if (line.status !== "Failed") continue;
    if (skipped < options.offset) {
      skipped++;
      continue;
    }
    lines.push(withoutNodeOutputs(line));
    if (lines.length > options.limit) break;
  }
  return { ...options, lines: lines.slice(0, options.limit), more: lines.length > options.limit };
}

function withoutNodeOutputs(line: LineRecord): LineRecord {
  const { node_outputs: _, ...rest } = line;
  return rest;
}

/** The most lines a comparison page shows (lines where the runs disagree first). */
export const MAX_COMPARED_LINES = 200;

/** Runs side by side, as `flowops run visualize` reports them: runs, metrics (the UI draws the report's charts), lines. */
export async function compareRuns(store: RunStore, names: readonly string[]) {
  for (const name of names) await requireRun(store, name);
  const data = await collectReportData(await reportInputForRuns(store, names), store);
  const lines = [...data.lines.filter((l) => l.disagree), ...data.lines.filter((l) => !l.disagree)].slice(
    0,
    MAX_COMPARED_LINES,
  );
  return { ...data, lines, total_lines: data.lines.length };
}
