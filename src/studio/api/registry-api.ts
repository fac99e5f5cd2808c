import type { RequestRecord } from "../../stores/deployment-store.js";
import type { AssetKind } from "../../stores/registry-store.js";
import type { StudioContext } from "../studio-context.js";
import { StudioNotFoundError } from "./studio-errors.js";
import type { VersionMetrics } from "./version-metrics.js";

export type { VersionMetrics } from "./version-metrics.js";

/** Registered versions of one kind, grouped by name (latest version first), with their labels. */
export async function registryVersions(studio: StudioContext, kind: AssetKind) {
  const versions = await (await studio.registry()).registry.list(kind);
  const byName = new Map<string, typeof versions>();
  for (const version of versions) {
    const list = byName.get(version.name) ?? [];
    list.push(version);
    byName.set(version.name, list);
  }
  return [...byName.entries()].map(([name, list]) => ({
    name,
    versions: list
      .sort((a, b) => b.version - a.version)
      .map((v) => ({
        version: v.version,
        labels: v.labels,
        created_on: v.created_on,
        created_by: v.created_by,
        files: v.files,
        size: v.size,
        hash: v.hash,
        ...(v.metrics ? { metrics: v.metrics } : {}),
        ...(v.metrics_from ? { metrics_from: v.metrics_from } : {}),
      })),
  }));
}

/** Every endpoint with the traffic split it serves now. */
export async function listEndpoints(studio: StudioContext) {
  const { deployments } = await studio.deployments();
  const endpoints = [];
  for (const endpoint of await deployments.listEndpoints()) {
    const current = await deployments.current(endpoint);
    endpoints.push({
      endpoint,
      ...(current
        ? { revision: current.revision, traffic: current.traffic, updated_on: current.updated_on }
        : { traffic: [] }),
    });
  }
  return endpoints;
}

/** The most logged requests one endpoint page summarises (the newest). */
export const MAX_PRODUCTION_REQUESTS = 10_000;

/** An endpoint page: its traffic split, its revision history, and production metrics per version. */
export async function endpointDetail(studio: StudioContext, endpoint: string, since?: string) {
  const { deployments, requests } = await studio.deployments();
  const history = await deployments.history(endpoint);
  if (history.length === 0)
    throw new StudioNotFoundError(
      "endpoint",
      endpoint,
      "Endpoints appear here once a flow version is deployed.",
    );
  const logged = await requests.list(endpoint, since ? { since } : {});
  return {
    endpoint,
    current: history[history.length - 1],
    history: [...history].reverse(),
    versions: productionMetrics(logged.slice(-MAX_PRODUCTION_REQUESTS)),
    requests: Math.min(logged.length, MAX_PRODUCTION_REQUESTS),
  };
}

export function productionMetrics(records: readonly RequestRecord[]): VersionMetrics[] {
  const groups = new Map<string, RequestRecord[]>();
  for (const record of records) {
    const key = `${record.flow}:${record.version}`;
    const list = groups.get(key) ?? [];
    list.push(record);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([version, list]) => {
      const latencies = list.map((r) => r.latency_ms).sort((a, b) => a - b);
      const failed = list.filter((r) => r.status === "Failed").length;
      return {
        version,
        requests: list.length,
        failed,
        failure_rate: failed / list.length,
        mean_latency_ms: latencies.reduce((sum, v) => sum + v, 0) / list.length,
        p95_latency_ms:
          latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)] ?? 0,
        mean_tokens: list.reduce((sum, r) => sum + r.usage.total_tokens, 0) / list.length,
      };
    });
}
