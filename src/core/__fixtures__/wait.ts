import type { NodeContext } from "../execution-types.js";

/** Waits `ms`, or rejects when the context's signal aborts; returns when it started and ended. */
export default function wait(
  { ms, tag }: { ms: number; tag: string },
  context: NodeContext,
): Promise<{ tag: string; start: number; end: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ tag, start, end: performance.now() }), ms);
    context.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new Error(`aborted ${tag}`));
    });
  });
}
