import { FlowopsError } from "./errors.js";

/** promptflow's line timeout: a line still running after 600 s fails and its calls are cancelled. */
export const DEFAULT_LINE_TIMEOUT_MS = 600_000;

/** A line ran longer than its line timeout; its model and python calls were cancelled. */
export class LineTimeoutError extends FlowopsError {
  constructor(timeoutMs: number, running: readonly string[]) {
    super(
      "LineTimeout",
      `The line did not finish within ${formatSeconds(timeoutMs)} (the line timeout)${running.length > 0 ? `; still running: ${running.join(", ")}` : ""}. Its calls were cancelled. Raise the limit (--line-timeout, FLOWOPS_LINE_TIMEOUT) or make the flow faster.`,
      { retryable: true, ...(running.length === 1 ? { node: running[0] } : {}) },
    );
  }
}

/** A node ran longer than its node timeout; the line's calls were cancelled. */
export class NodeTimeoutError extends FlowopsError {
  constructor(node: string, timeoutMs: number) {
    super(
      "NodeTimeout",
      `Node '${node}' did not finish within ${formatSeconds(timeoutMs)} (the node timeout). Its calls were cancelled. Raise the limit (FLOWOPS_NODE_TIMEOUT) or make the node faster.`,
      { node, retryable: true },
    );
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(3).replace(/0+$/, "")} s`;
}
