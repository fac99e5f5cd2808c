import { FlowopsError, UserError } from "../../core/errors.js";

export interface PythonErrorDetail {
  type: string;
  message: string;
  location?: { file: string; line: number; function: string } | null;
}

/** A python tool raised: names the node, the exception type and message, and the user's file:line. */
export class PythonToolError extends UserError {
  readonly pythonType: string;
  constructor(node: string, detail: PythonErrorDetail) {
    const where = detail.location
      ? ` (${detail.location.file}:${detail.location.line} in ${detail.location.function})`
      : "";
    super("PythonToolFailed", `python node '${node}' raised ${detail.type}: ${detail.message}${where}`, {
      node,
      location: detail.location ? { file: detail.location.file, line: detail.location.line } : undefined,
    });
    this.pythonType = detail.type;
  }
}

/** The worker process died or could not start. */
export class PythonWorkerError extends FlowopsError {
  constructor(message: string, options: { node?: string; cause?: unknown } = {}) {
    super("PythonWorkerFailed", message, { ...options, retryable: true });
  }
}

/** A python tool did not return within the line timeout; its worker was stopped. */
export class PythonTimeoutError extends FlowopsError {
  constructor(node: string, timeoutMs: number) {
    super(
      "LineTimeout",
      `python node '${node}' did not return within ${Math.round(timeoutMs / 1000)} s; its worker was stopped. ` +
        "Raise the line timeout or make the tool return sooner.",
      { node },
    );
  }
}

/**
 * Every python worker of the flow is busy and the queue of waiting calls is full: the server is
 * overloaded, not the request wrong. Retryable; HTTP servers answer 503 with Retry-After.
 */
export class PythonQueueFullError extends FlowopsError {
  readonly status = 503;
  constructor(node: string, maxQueue: number) {
    super(
      "PythonQueueFull",
      `python node '${node}' was not run: all python workers are busy and ${maxQueue} calls are already waiting. Retry later, or raise FLOWOPS_PYTHON_QUEUE or the number of workers.`,
      { node, retryable: true },
    );
  }
}
