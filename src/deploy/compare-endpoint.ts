import type { RequestLogStore, RequestRecord } from "../stores/deployment-store.js";
import { parseSince } from "./production-data.js";

/** One version's row of `endpoint compare`. */
export interface VersionComparison {
  version: string;
  requests: number;
  failed: number;
  /** Share of the endpoint's logged requests this version served. */
  share: number;
  latency_ms_mean: number;
  latency_ms_p95: number;
  tokens_mean: number;
  /** The evaluator's metrics over this version's completed requests (with an evaluator). */
  metrics?: Record<string, number>;
  /** The evaluation run (with an evaluator). */
  run?: string;
}

/** Evaluates one version's logged requests; returns the evaluation run's name and metrics. */
export type EvaluateVersion = (
  version: string,
  records: RequestRecord[],
) => Promise<{ run: string; metrics: Record<string, number> }>;

/**
 * Compares the versions an endpoint served over its logged traffic: volume, failures, latency and
 * tokens per version, and, given `evaluate`, the evaluator's metrics per version side by side.
 */
export async function compareEndpoint(options: {
  requests: RequestLogStore;
  endpoint: string;
  since?: string;
  evaluate?: EvaluateVersion;
  now?: number;
}): Promise<VersionComparison[]> {
  const from = parseSince(options.since, options.now);
  const records = await options.requests.list(options.endpoint, from ? { since: from } : {});
  const byVersion = new Map<string, RequestRecord[]>();
  for (const record of records) {
    const key = `${record.flow}:${record.version}`;
    byVersion.set(key, [...(byVersion.get(key) ?? []), record]);
  }
  const rows: VersionComparison[] = [];
  for (const [version, served] of [...byVersion].sort(([a], [b]) => compareVersions(a, b))) {
    const latencies = served.map((r) => r.latency_ms).sort((a, b) => a - b);
    const row: VersionComparison = {
      version,
      requests: served.length,
      failed: served.filter((r) => r.status === "Failed").length,
      share: round(served.length / records.length),
      latency_ms_mean: round(mean(latencies)),
      latency_ms_p95: round(
        latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)] ?? 0,
      ),
      tokens_mean: round(mean(served.map((r) => r.usage.total_tokens))),
    };
    const completed = served.filter((r) => r.status === "Completed");
    if (options.evaluate && completed.length > 0) {
      const evaluation = await options.evaluate(version, completed);
      row.metrics = evaluation.metrics;
      row.run = evaluation.run;
    }
    rows.push(row);
  }
  return rows;
}

/** The comparison as a text table: one column per version, one row per measure and metric. */
export function formatComparison(endpoint: string, rows: readonly VersionComparison[]): string {
  if (rows.length === 0) return `No logged requests for endpoint '${endpoint}'.\n`;
  const metricNames = [...new Set(rows.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
  const table: string[][] = [
    ["", ...rows.map((r) => r.version)],
    ["requests", ...rows.map((r) => String(r.requests))],
    ["share", ...rows.map((r) => `${(r.share * 100).toFixed(1)}%`)],
    ["failed", ...rows.map((r) => String(r.failed))],
    // Milliseconds to a tenth and tokens to a whole are as precise as the table needs (--json keeps more).
    ["latency_ms_mean", ...rows.map((r) => r.latency_ms_mean.toFixed(1))],
    ["latency_ms_p95", ...rows.map((r) => r.latency_ms_p95.toFixed(1))],
    ["tokens_mean", ...rows.map((r) => String(Math.round(r.tokens_mean)))],
    ...metricNames.map((m) => [
      m,
      ...rows.map((r) => (r.metrics?.[m] === undefined ? "-" : String(round(r.metrics[m])))),
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => (line[column] ?? "").length)));
  return `${table
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function compareVersions(a: string, b: string): number {
  const [nameA = "", versionA = "0"] = a.split(":");
  const [nameB = "", versionB = "0"] = b.split(":");
  return nameA === nameB ? Number(versionA) - Number(versionB) : nameA < nameB ? -1 : 1;
}
