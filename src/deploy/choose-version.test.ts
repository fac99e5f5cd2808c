import { describe, expect, it } from "vitest";
import type { TrafficEntry } from "../stores/deployment-store.js";
import { chooseVersion, seededRandom, userBucket } from "./choose-version.js";

const split: TrafficEntry[] = [
  { flow: "ner", version: 1, weight: 90 },
  { flow: "ner", version: 2, weight: 10 },
];

describe("chooseVersion", () => {
  it("splits 10,000 anonymous requests 90/10 within ±2% (seeded)", () => {
    const random = seededRandom(42);
    let second = 0;
    for (let i = 0; i < 10_000; i++)
      if (chooseVersion(split, { endpoint: "ner", random }).version === 2) second++;
    expect(second / 10_000).toBeGreaterThan(0.08);
    expect(second / 10_000).toBeLessThan(0.12);
  });

  it("is reproducible with the same seed and differs with another", () => {
    const pick = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 50 }, () => chooseVersion(split, { endpoint: "ner", random }).version).join(
        "",
      );
    };
    expect(pick(7)).toBe(pick(7));
    expect(pick(7)).not.toBe(pick(8));
  });

  it("keeps each of 1,000 users on one version across repeated requests, and spreads users 90/10", () => {
    const random = seededRandom(1);
    let second = 0;
    for (let user = 0; user < 1_000; user++) {
      const seen = new Set<number>();
      for (let request = 0; request < 5; request++) {
        seen.add(chooseVersion(split, { endpoint: "ner", userKey: `user-${user}`, random }).version);
      }
      expect(seen.size).toBe(1);
      if (seen.has(2)) second++;
    }
    expect(second / 1_000).toBeGreaterThan(0.07);
    expect(second / 1_000).toBeLessThan(0.13);
  });

  it("never picks a zero weight, and handles weights that do not sum to 100", () => {
    const random = seededRandom(3);
    const traffic = [
      { flow: "a", version: 1, weight: 0 },
      { flow: "a", version: 2, weight: 1 },
      { flow: "a", version: 3, weight: 3 },
    ];
    const counts = new Map<number, number>();
    for (let i = 0; i < 4_000; i++) {
      const v = chooseVersion(traffic, { endpoint: "e", random }).version;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(counts.get(1)).toBeUndefined();
    expect((counts.get(3) ?? 0) / 4_000).toBeCloseTo(0.75, 1);
  });

  it("buckets a user independently per endpoint, uniformly in [0, 1)", () => {
    expect(userBucket("ner", "alice")).toBe(userBucket("ner", "alice"));
    expect(userBucket("ner", "alice")).not.toBe(userBucket("chat", "alice"));
    const buckets = Array.from({ length: 2_000 }, (_, i) => userBucket("ner", `u${i}`));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(1);
    expect(buckets.filter((b) => b < 0.5).length / 2_000).toBeCloseTo(0.5, 1);
  });
});
