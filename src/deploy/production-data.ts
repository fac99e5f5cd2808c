import { UserError } from "../core/errors.js";
import type { RequestLogStore, RequestRecord } from "../stores/deployment-store.js";

/** One logged production request as a data row: `${data.inputs.text}`, `${data.outputs.entities}`. */
export interface ProductionRow {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** `name:version` that served it. */
  version: string;
  flow: string;
  flow_version: number;
  status: RequestRecord["status"];
  timestamp: string;
  latency_ms: number;
  total_tokens: number;
  id: string;
  user?: string;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `since` as an ISO lower bound: a duration back from `now` (`30m`, `12h`, `1d`, `2w`) or a date /
 * timestamp (`2024-05-01`, `2024-05-01T10:00:00Z`). Undefined means from the beginning.
 */
export function parseSince(since: string | undefined, now = Date.now()): string | undefined {
  if (since === undefined || since === "") return undefined;
  const duration = /^(\d+(?:\.\d+)?)([mhdw])$/.exec(since);
  if (duration)
    return new Date(now - Number(duration[1]) * (UNITS[duration[2] as string] as number)).toISOString();
  const date = new Date(since);
  if (/^\d{4}-\d{2}-\d{2}/.test(since) && !Number.isNaN(date.getTime())) return date.toISOString();
  throw new UserError(
    "BadSince",
    `'${since}' is not a time: give a duration back from now (30m, 12h, 1d, 2w) or a date (2024-05-01 or an ISO timestamp).`,
    { field: "since" },
  );
}

/**
 * Streams an endpoint's logged requests since a time (oldest first) as data rows, for
 * `run create --data prod:ENDPOINT[:since]` and `endpoint compare`. Only completed requests are rows:
 * a failed request has no outputs to evaluate. `version` filters to one `name:version`.
 */
export async function* readProductionData(
  requests: RequestLogStore,
  endpoint: string,
  since?: string,
  options: { version?: string; now?: number } = {},
): AsyncGenerator<ProductionRow> {
  const from = parseSince(since, options.now);
  for (const record of await requests.list(endpoint, from ? { since: from } : {})) {
    if (record.status !== "Completed") continue;
    const row = toProductionRow(record);
    if (options.version && options.version !== row.version) continue;
    yield row;
  }
}

/** A logged request as a data row. */
export function toProductionRow(record: RequestRecord): ProductionRow {
  return {
    inputs: record.inputs,
    outputs: record.outputs ?? {},
    version: `${record.flow}:${record.version}`,
    flow: record.flow,
    flow_version: record.version,
    status: record.status,
    timestamp: record.timestamp,
    latency_ms: record.latency_ms,
    total_tokens: record.usage.total_tokens,
    id: record.id,
    ...(record.user ? { user: record.user } : {}),
  };
}
