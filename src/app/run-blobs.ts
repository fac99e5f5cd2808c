import type { BlobStore } from "../stores/blob-store.js";
import type { StoredBulkRequest } from "./bulk-run-request.js";

/**
 * Where a bulk run keeps its payloads in the blob store, so that orchestration inputs, activity
 * inputs and queue messages carry ids only: the request, the data snapshot and the line chunks.
 */
export const runBlobs = {
  request: (run: string) => `runs/${run}/request.json`,
  data: (run: string) => `runs/${run}/data.jsonl`,
  chunk: (run: string, chunk: number) => `runs/${run}/chunks/${chunk}.json`,
  /** A registered data asset `<name>:<version>` (JSON Lines). */
  asset: (name: string, version: string) => `data/${name}/${version}.jsonl`,
};

/** One data row with its line number, as chunks store them. */
export interface ChunkRow {
  line_number: number;
  data: Record<string, unknown>;
}

export async function readStoredRequest(
  blobs: BlobStore,
  run: string,
): Promise<StoredBulkRequest | undefined> {
  const body = await blobs.get(runBlobs.request(run));
  return body ? (JSON.parse(body.toString("utf8")) as StoredBulkRequest) : undefined;
}

export async function readChunk(blobs: BlobStore, run: string, chunk: number): Promise<ChunkRow[]> {
  const body = await blobs.get(runBlobs.chunk(run, chunk));
  if (!body) throw new Error(`The line chunk ${runBlobs.chunk(run, chunk)} is missing from the blob store.`);
  return JSON.parse(body.toString("utf8")) as ChunkRow[];
}

/** Rows of a JSON Lines blob, numbered from 0 (blank lines skipped). */
export function parseJsonLines(text: string, source: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source}:${index + 1}: not valid JSON (${(error as Error).message}).`);
    }
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new Error(`${source}:${index + 1}: each line must be a JSON object.`);
    }
    rows.push(row as Record<string, unknown>);
  }
  return rows;
}
