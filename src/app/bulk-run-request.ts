import { z } from "zod";
import { InputError } from "../core/errors.js";

/** Run names are orchestration instance ids, blob key segments and Cosmos partition keys. */
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
/** `<data asset name>:<version>` */
const DATA_ASSET = /^([A-Za-z0-9][A-Za-z0-9_.-]*):([A-Za-z0-9][A-Za-z0-9_.-]*)$/;

const columnMapping = z.record(z.string(), z.unknown());

export const bulkRunRequestSchema = z.object({
  name: z
    .string()
    .regex(RUN_NAME, "use 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit"),
  /** The flow; implied by the route or the queue, and must match them when given. */
  flow: z.string().optional(),
  data: z.union([
    z.array(z.record(z.string(), z.unknown())).min(1, "give at least one row"),
    z.string().regex(DATA_ASSET, "name a data asset as '<name>:<version>', or give the rows as an array"),
  ]),
  column_mapping: columnMapping.optional(),
  variant: z.string().optional(),
  evaluations: z
    .array(z.object({ flow: z.string().min(1), column_mapping: columnMapping.optional() }))
    .default([]),
  /** Lines in flight at once for the whole run (default 16). */
  concurrency: z.number().int().min(1).max(1000).optional(),
});

export type BulkRunRequest = z.infer<typeof bulkRunRequestSchema>;

/** What is kept with the run (`runs/<name>/request.json`): the request without its rows. */
export interface StoredBulkRequest extends Omit<BulkRunRequest, "data"> {
  flow: string;
  /** `inline` when the rows came with the request (snapshot at `runs/<name>/data.jsonl`). */
  data: string;
  concurrency: number;
}

export const DEFAULT_RUN_CONCURRENCY = 16;

/**
 * Validates a bulk-run request (from HTTP or a queue message) for `flow`; throws InputError naming
 * the first wrong field (`evaluations[0].flow`, `data`...).
 */
export function parseBulkRunRequest(value: unknown, flow: string): BulkRunRequest {
  const parsed = bulkRunRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatPath(issue.path);
    const message =
      valueAt(value, issue.path) === undefined
        ? `'${field}' is missing`
        : `'${field || "body"}' is not valid: ${issue.message}`;
    throw new InputError(
      "BadRunRequest",
      `${message}. A run request is {"name": "...", "data": [rows] | "<asset>:<version>", "column_mapping": {...}, "variant": "...", "evaluations": [{"flow": "...", "column_mapping": {...}}]}.`,
      { field: field || "body" },
    );
  }
  if (parsed.data.flow !== undefined && parsed.data.flow !== flow) {
    throw new InputError(
      "BadRunRequest",
      `'flow' is '${parsed.data.flow}' but the request was sent for flow '${flow}': drop 'flow' or send it to the flow's own route or queue.`,
      { field: "flow" },
    );
  }
  return parsed.data;
}

/** The data asset named by a request's `data`, when it names one. */
export function dataAsset(data: string): { name: string; version: string } | undefined {
  const match = DATA_ASSET.exec(data);
  return match ? { name: match[1]!, version: match[2]! } : undefined;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
