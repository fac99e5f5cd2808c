import type { SerializedError } from "../core/execution-types.js";
import type { TokenUsage } from "../core/model-port.js";
import { RunNotFoundError } from "../stores/errors.js";
import type { LineStatus, RunRecord, RunStatus, RunStore } from "../stores/run-store.js";

/** `flowops run show`: promptflow's run JSON, plus lines, token usage and lineage. */
export interface RunView {
  name: string;
  display_name: string;
  description: string | null;
  status: RunStatus;
  flow: string;
  data: string | null;
  run: string | null;
  variant: string | null;
  column_mapping: Record<string, string>;
  tags: Record<string, string>;
  /** `--connections` the run was created with: per node, the connection and inputs used instead. */
  connections: Record<string, Record<string, string>>;
  archived: boolean;
  created_on: string;
  start_time: string | null;
  end_time: string | null;
  /** `H:MM:SS.ffffff`, as promptflow prints it; up to now while the run is running. */
  duration: string | null;
  lines: { total: number; completed: number; failed: number };
  usage: TokenUsage;
  metrics: Record<string, number>;
  lineage: { flow_version: string | null; data_version: string | null; resume_from: string | null };
  error: SerializedError | null;
}

/** `flowops run show-details`: one entry per line. */
export interface LineView {
  line_number: number;
  status: LineStatus;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error: SerializedError | null;
}

async function requireRun(store: RunStore, name: string): Promise<RunRecord> {
  const run = await store.getRun(name);
  if (!run) throw new RunNotFoundError(name);
  return run;
}

export async function showRun(store: RunStore, name: string, now: Date = new Date()): Promise<RunView> {
  return toRunView(await requireRun(store, name), now);
}

export function toRunView(run: RunRecord, now: Date = new Date()): RunView {
  const start = run.started_on ?? run.created_on;
  const end = run.ended_on ?? (run.status === "Running" ? now.toISOString() : undefined);
  return {
    name: run.name,
    display_name: run.display_name ?? run.name,
    description: run.description ?? null,
    status: run.status,
    flow: run.flow,
    data: run.data ?? null,
    run: run.run ?? null,
    variant: run.variant ?? null,
    column_mapping: run.column_mapping ?? {},
    tags: run.tags ?? {},
    connections: run.connections ?? {},
    archived: run.archived ?? false,
    created_on: run.created_on,
    start_time: run.started_on ?? null,
    end_time: run.ended_on ?? null,
    duration: end ? formatDuration(Date.parse(end) - Date.parse(start)) : null,
    lines: run.lines,
    usage: run.usage,
    metrics: run.metrics ?? {},
    lineage: {
      flow_version: run.flow_version ?? null,
      data_version: run.data_version ?? null,
      resume_from: run.resume_from ?? null,
    },
    error: run.error ?? null,
  };
}

/** Every line of a run in order (loaded in full: this is what the command prints). */
export async function showDetails(
  store: RunStore,
  name: string,
  options: { offset?: number; limit?: number } = {},
): Promise<LineView[]> {
  await requireRun(store, name);
  const lines = await store.getLines(name, options);
  return lines.map((line) => ({
    line_number: line.line_number,
    status: line.status,
    inputs: line.inputs,
    outputs: line.outputs ?? null,
    error: line.error ?? null,
  }));
}

export async function showMetrics(store: RunStore, name: string): Promise<Record<string, number>> {
  return (await requireRun(store, name)).metrics ?? {};
}

/** `H:MM:SS.ffffff`, like Python's timedelta. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, ms);
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const micros = Math.round((total % 1000) * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${hours}:${pad(minutes)}:${pad(seconds)}.${pad(micros, 6)}`;
}
