import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * How far V8 lets the old generation grow past what the last full GC kept, in percent (V8's own
 * heuristic allows up to 4× for a small heap). A batch run allocates a few KB per line that lives only
 * while the line is in flight, but whatever is in flight at a scavenge is promoted; with the default
 * factor that garbage piles up to ~60 MB before a mark-compact, so a 20,000-line run peaked at ~1.4× the
 * RSS of a 2,000-line run while the heap kept after a GC stayed flat (bench/README.md, "Memory").
 * A full GC of the batch engine's small live heap takes a few ms, so collecting earlier costs little.
 */
export const BATCH_HEAP_GROWING_PERCENT = 25;

/**
 * Runs `body` (a batch run) with V8 collecting the old generation sooner. The factor applies from the
 * next full GC on, and the limit the last one set (during start-up, with the default factor) let the
 * first cycle of a long run grow ~20 MB further: so one full GC is run first, which sets the limit from
 * the live heap with the new factor (a few ms, once). V8's flags are restored afterwards: while any
 * differs from its default, Node compiles the built-ins it loads from source instead of from its
 * embedded code cache (a provider's http, tls, zlib... loaded during the run pay that, once).
 */
export async function withBoundedHeapGrowth<T>(
  body: () => Promise<T>,
  percent = BATCH_HEAP_GROWING_PERCENT,
): Promise<T> {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  collectGarbage();
  try {
    return await body();
  } finally {
    setFlagsFromString("--heap-growing-percent=0"); // V8's default: its own heuristic
  }
}

/** A full GC without starting node with --expose-gc: the flag exposes `gc` to a context made meanwhile. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  try {
    (runInNewContext("gc") as () => void)();
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}
