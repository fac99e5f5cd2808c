import { cachedDataVersionTag, getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { withBoundedHeapGrowth } from "./bound-heap-growth.js";

describe("withBoundedHeapGrowth", () => {
  it("changes V8's flags only while the body runs, and returns its result", async () => {
    // The tag is derived from V8's flags: Node's built-ins load from their code cache only when it matches.
    const before = cachedDataVersionTag();
    let during: number | undefined;
    const result = await withBoundedHeapGrowth(async () => {
      during = cachedDataVersionTag();
      return 42;
    });
    expect(result).toBe(42);
    expect(during).not.toBe(before);
    expect(cachedDataVersionTag()).toBe(before);
    expect("gc" in globalThis).toBe(false);
  });

  it("restores the flags when the body throws", async () => {
    const before = cachedDataVersionTag();
    await expect(
      withBoundedHeapGrowth(async () => {
        throw new Error("line source failed");
      }),
    ).rejects.toThrow("line source failed");
    expect(cachedDataVersionTag()).toBe(before);
  });

  it("starts the body from a collected heap", async () => {
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    const withGarbage = getHeapStatistics().used_heap_size;
    garbage = undefined;
    const atStart = await withBoundedHeapGrowth(async () => getHeapStatistics().used_heap_size);
    expect(garbage).toBeUndefined();
    expect(atStart).toBeLessThan(withGarbage - 4 * 1024 * 1024);
  });
});
