/**
 * The studio's home page with 1,000 runs in the store. Headless Chromium (Debian's chromium, through
 * playwright-core) opens the home page, cold, until the flows and the latest runs are shown, in two
 * studios served side by side from this process: one whose run store holds 1,000 runs and, as the
 * reference, one that holds 10. Pagination keeps the page independent of the store's size, so the ratio
 * should stay near 1. Prints the median of 9 loads each; exits non-zero when the page with 1,000 runs
 * takes more than 1 s, or more than 1.5× the reference.
 *
 *   node --import tsx bench/studio-home.bench.ts
 */
import { performance } from "node:perf_hooks";
import { openStudio, type StudioSession } from "../tests/support/studio-browser.js";

const LOADS = 9;
const LIMIT_MS = 1000;
const TARGET_RATIO = 1.5;

async function homeLoad(session: StudioSession): Promise<number> {
  const context = await session.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const start = performance.now();
  await page.goto(session.url);
  await page.getByRole("link", { name: "named-entity-recognition", exact: true }).waitFor();
  await page.getByRole("link", { name: "ner-running" }).waitFor();
  const elapsed = performance.now() - start;
  await context.close();
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const big = await openStudio({ runCount: 1000 });
const small = await openStudio({ runCount: 10 });
try {
  await homeLoad(big);
  await homeLoad(small);
  const bigTimes: number[] = [];
  const smallTimes: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    bigTimes.push(await homeLoad(big));
    smallTimes.push(await homeLoad(small));
  }
  const bigMs = median(bigTimes);
  const smallMs = median(smallTimes);
  const ratio = bigMs / smallMs;
  console.log(`home page, 1,000 runs: ${bigMs.toFixed(0)} ms (median of ${LOADS})`);
  console.log(`home page, 10 runs (reference): ${smallMs.toFixed(0)} ms`);
  console.log(`ratio ${ratio.toFixed(2)}×`);
  const ok = bigMs <= LIMIT_MS && ratio <= TARGET_RATIO;
  console.log(
    ok
      ? `PASS (under ${LIMIT_MS} ms and ≤ ${TARGET_RATIO}× the reference; shared machine, times are noisy)`
      : `FAIL: over ${LIMIT_MS} ms or more than ${TARGET_RATIO}× the reference`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await big.close();
  await small.close();
}
