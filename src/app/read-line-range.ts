import type { LineRecord, RunStore } from "../stores/run-store.js";

/**
 * The stored lines of `run` with `start <= line_number < end`, through the store's offset paging:
 * line numbers are unique and at least their offset, so the offset of the first line ≥ start is at
 * most `start` and is found by a binary search of one-line pages (≈ log2(start) reads).
 */
export async function readLineRange(
  store: RunStore,
  run: string,
  start: number,
  end: number,
): Promise<LineRecord[]> {
  if (end <= start) return [];
  let low = 0;
  let high = start;
  while (low < high) {
    const middle = (low + high) >> 1;
    const [line] = await store.getLines(run, { offset: middle, limit: 1 });
    if (!line || line.line_number >= start) high = middle;
    else low = middle + 1;
  }
  const lines = await store.getLines(run, { offset: low, limit: end - start });
  return lines.filter((line) => line.line_number >= start && line.line_number < end);
}
