import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** What a recording file holds, as far as explaining a miss needs (see record-replay.ts). */
interface RecordedRequest {
  request: Record<string, unknown>;
  node?: string;
}

/** At most this many recordings are read to explain a miss (a folder is rarely larger). */
const MAX_SCANNED = 2000;
/** Characters of context shown around the first difference. */
const CONTEXT = 48;

/** Why a request has no recording, judged against the nearest one in the folder. */
export type MissReason =
  /** The folder has no recordings at all. */
  | { kind: "empty" }
  /** A recording has the same prompt: the model, api or parameters differ. */
  | { kind: "parameters"; node?: string; differs: string[] }
  /** No recording has this prompt: the inputs (or the template) are new; `closest` shows the nearest. */
  | { kind: "new-inputs"; node?: string; recorded: string; requested: string };

/**
 * Explains a replay miss: reads the folder's recordings (up to MAX_SCANNED) and compares the request
 * with them. The same prompt recorded with other parameters means the parameters changed; otherwise the
 * prompt is new, and the closest recorded prompt (most shared words, same node first) is quoted around
 * its first difference, so the user sees which recorded inputs come nearest.
 */
export async function explainMiss(
  dir: string,
  wanted: Record<string, unknown>,
  node: string | undefined,
): Promise<MissReason> {
  const recordings = await readRecordings(dir);
  if (recordings.length === 0) return { kind: "empty" };
  const wantedPrompt = promptText(wanted);
  const sameNode = recordings.filter((r) => !node || !r.node || r.node === node);
  const pool = sameNode.length > 0 ? sameNode : recordings;
  const samePrompt = pool.find((r) => promptText(r.request) === wantedPrompt);
  if (samePrompt) {
    const differs = ["api", "model", "parameters"].filter(
      (k) => JSON.stringify(samePrompt.request[k]) !== JSON.stringify(wanted[k]),
    );
    return { kind: "parameters", ...(samePrompt.node ? { node: samePrompt.node } : {}), differs };
  }
  const words = wordCounts(wantedPrompt);
  let best = pool[0]!;
  let bestScore = -1;
  for (const recording of pool) {
    const score = sharedWords(words, wordCounts(promptText(recording.request)));
    if (score > bestScore) {
      best = recording;
      bestScore = score;
    }
  }
  const [recorded, requested] = aroundDifference(promptText(best.request), wantedPrompt);
  return { kind: "new-inputs", ...(best.node ? { node: best.node } : {}), recorded, requested };
}

async function readRecordings(dir: string): Promise<RecordedRequest[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).slice(0, MAX_SCANNED);
  } catch {
    return [];
  }
  const read = await Promise.all(
    names.map(async (name) => {
      try {
        const parsed = JSON.parse(await readFile(join(dir, name), "utf8")) as RecordedRequest;
        return parsed && typeof parsed.request === "object" && parsed.request ? parsed : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return read.filter((r): r is RecordedRequest => r !== undefined);
}

/** The prompt a canonical request carries, as one text (messages joined by role). */
function promptText(request: Record<string, unknown>): string {
  const messages = request["messages"];
  if (Array.isArray(messages)) {
    return messages
      .map((m: { role?: unknown; content?: unknown }) => {
        const content = typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? "");
        return `${String(m.role)}: ${content}`;
      })
      .join("\n");
  }
  const body = request["prompt"] ?? request["input"];
  return typeof body === "string" ? body : JSON.stringify(body ?? "");
}

function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

function sharedWords(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [word, n] of a) {
    shared += Math.min(n, b.get(word) ?? 0);
    total += n;
  }
  for (const n of b.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

/** Both texts cut to the part around their first difference, with "…" where text was left out. */
export function aroundDifference(a: string, b: string): [string, string] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // Start at the line the difference is on (a message, or a line of one) when that is not far back.
  const lineStart = a.lastIndexOf("\n", start - 1) + 1;
  const from = start - lineStart <= 2 * CONTEXT ? lineStart : Math.max(0, start - CONTEXT);
  const cut = (text: string, end: number) => {
    const to = Math.min(text.length, Math.min(Math.max(end, start), start + 4 * CONTEXT) + CONTEXT);
    const middle = text.slice(from, to).replace(/\s+/g, " ");
    return `${from > 0 ? "…" : ""}${middle}${to < text.length ? "…" : ""}`;
  };
  return [cut(a, endA), cut(b, endB)];
}
