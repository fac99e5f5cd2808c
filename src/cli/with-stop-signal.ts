import type { CliContext } from "./cli-context.js";

/** Exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELED = 130;

/**
 * Runs `action` with a signal that aborts on Ctrl-C (SIGINT) or the injected stop signal; resolves
 * whether it was stopped. The SIGINT handler is removed afterwards (a second Ctrl-C then kills).
 */
export async function withStopSignal(
  context: CliContext,
  action: (signal: AbortSignal) => Promise<void>,
): Promise<boolean> {
  const controller = new AbortController();
  const stop = () => {
    if (!controller.signal.aborted)
      context.log("stopping: canceling the lines in flight (Ctrl-C again to kill)");
    controller.abort();
  };
  const injected = context.io.signal;
  if (injected?.aborted) stop();
  injected?.addEventListener("abort", stop, { once: true });
  process.once("SIGINT", stop);
  try {
    await action(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    injected?.removeEventListener("abort", stop);
  }
  return controller.signal.aborted;
}
