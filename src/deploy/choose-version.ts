import { createHash } from "node:crypto";
import type { TrafficEntry } from "../stores/deployment-store.js";

/**
 * A caller's stable place in [0, 1): the first 48 bits of sha256(endpoint + NUL + user key). The same
 * user on the same endpoint always lands in the same bucket, and buckets spread uniformly.
 */
export function userBucket(endpoint: string, userKey: string): number {
  const digest = createHash("sha256").update(`${endpoint}\u0000${userKey}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Picks the traffic entry that serves a request: the point (the user's bucket when a user key is
 * given, else a fresh random number) falls into one entry's slice of the cumulative weights, in the
 * split's order. A user therefore keeps their version for as long as the weights stay the same.
 * Entries with weight 0 are never chosen.
 */
export function chooseVersion(
  traffic: readonly TrafficEntry[],
  options: { endpoint: string; userKey?: string | undefined; random?: () => number },
): TrafficEntry {
  const live = traffic.filter((entry) => entry.weight > 0);
  if (live.length === 0)
    throw new Error("chooseVersion: the traffic split has no entry with a positive weight");
  const total = live.reduce((sum, entry) => sum + entry.weight, 0);
  const point =
    (options.userKey ? userBucket(options.endpoint, options.userKey) : (options.random ?? Math.random)()) *
    total;
  let cumulative = 0;
  for (const entry of live) {
    cumulative += entry.weight;
    if (point < cumulative) return entry;
  }
  return live[live.length - 1] as TrafficEntry;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence in [0, 1). For tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
