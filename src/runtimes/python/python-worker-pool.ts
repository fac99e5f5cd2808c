import { flowopsHome } from "../../core/flowops-home.js";
import { ensurePythonEnvironment } from "./python-environment.js";
import { PythonQueueFullError } from "./python-errors.js";
import {
  type PythonCall,
  type PythonCallHandlers,
  type PythonToolDescription,
  PythonWorker,
} from "./python-worker.js";

/** promptflow's line timeout: a python call that runs longer is stopped (its worker is restarted). */
export const DEFAULT_PYTHON_TIMEOUT_MS = 600_000;
/** Calls that may wait for a busy pool before more are refused (PythonQueueFullError). */
export const DEFAULT_PYTHON_QUEUE = 256;

export interface PythonPoolOptions {
  /** A call's limit unless the call sets its own; default 600 000 ms (FLOWOPS_PYTHON_TIMEOUT seconds). */
  timeoutMs?: number;
  /** Calls waiting for a worker at most; default 256 (FLOWOPS_PYTHON_QUEUE). */
  maxQueue?: number;
}

/**
 * A pool of python workers for one flow: lines run concurrently, one call per worker at a time.
 * Workers start lazily (a flow test that runs one line starts one process) and are reused.
 * Every call has a timeout (default 600 s); the queue of calls waiting for a worker is bounded, and a
 * call over the bound fails at once with PythonQueueFullError (retryable: servers answer 503). A
 * waiting call whose signal aborts leaves the queue.
 */
export class PythonWorkerPool {
  private readonly idle: PythonWorker[] = [];
  private readonly all: PythonWorker[] = [];
  private readonly waiters: ((worker: PythonWorker) => void)[] = [];
  private readonly timeoutMs: number;
  private readonly maxQueue: number;

  private creating = 0;
  private requirements: string | undefined;
  private interpreter: Promise<string | undefined> | undefined;

  constructor(
    private readonly size: number,
    private readonly options: ConstructorParameters<typeof PythonWorker>[0] & {
      /** FLOWOPS_HOME, where per-requirements virtual environments are kept. */
      home?: string;
      log?: (line: string) => void;
    } & PythonPoolOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PYTHON_TIMEOUT_MS;
    this.maxQueue = options.maxQueue ?? DEFAULT_PYTHON_QUEUE;
  }

  /**
   * The flow's `environment.python_requirements_txt`: workers started from now on run in a virtual
   * environment with those requirements (created once per requirements under FLOWOPS_HOME).
   */
  useRequirements(file: string): void {
    if (this.requirements === file) return;
    this.requirements = file;
    this.interpreter = undefined;
  }

  private python(): Promise<string | undefined> {
    if (!this.requirements) return Promise.resolve(this.options.python);
    this.interpreter ??= ensurePythonEnvironment({
      requirements: this.requirements,
      home: this.options.home ?? flowopsHome(this.options.env ?? process.env),
      ...(this.options.python ? { python: this.options.python } : {}),
      ...(this.options.env ? { env: this.options.env } : {}),
      log: this.options.log ?? ((line) => process.stderr.write(`flowops: ${line}\n`)),
    });
    this.interpreter.catch(() => {
      this.interpreter = undefined;
    });
    return this.interpreter;
  }

  async call(call: PythonCall, handlers: PythonCallHandlers = {}): Promise<unknown> {
    const worker = await this.acquire(call.node, handlers.signal);
    try {
      return await worker.call(call, { ...handlers, timeoutMs: handlers.timeoutMs ?? this.timeoutMs });
    } finally {
      this.release(worker);
    }
  }

  /** Describes a tool (or a class entry) with one of the pool's workers. */
  async inspect(file: string, fn?: string, paths?: string[]): Promise<PythonToolDescription> {
    const worker = await this.acquire(file);
    try {
      return await worker.inspect(file, fn, paths);
    } finally {
      this.release(worker);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.stop()));
  }

  /** Calls waiting for a worker now. */
  get queued(): number {
    return this.waiters.length;
  }

  private async acquire(node: string, signal?: AbortSignal): Promise<PythonWorker> {
    const worker = this.idle.pop();
    if (worker) return worker;
    if (this.all.length + this.creating < this.size) {
      this.creating += 1;
      try {
        const python = await this.python();
        const created = new PythonWorker({ ...this.options, ...(python ? { python } : {}) });
        this.all.push(created);
        return created;
      } finally {
        this.creating -= 1;
      }
    }
    if (this.waiters.length >= this.maxQueue) throw new PythonQueueFullError(node, this.maxQueue);
    if (signal?.aborted) throw signal.reason;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter = (acquired: PythonWorker) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(acquired);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(worker: PythonWorker): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(worker);
    else this.idle.push(worker);
  }
}
