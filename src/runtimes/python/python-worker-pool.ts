import {
  type PythonCall,
  type PythonCallHandlers,
  type PythonToolDescription,
  PythonWorker,
} from "./python-worker.js";

/**
 * A pool of python workers for one flow: lines run concurrently, one call per worker at a time.
 * Workers start lazily (a flow test that runs one line starts one process) and are reused.
 */
export class PythonWorkerPool {
  private readonly idle: PythonWorker[] = [];
  private readonly all: PythonWorker[] = [];
  private readonly waiters: ((worker: PythonWorker) => void)[] = [];

  constructor(
    private readonly size: number,
    private readonly options: ConstructorParameters<typeof PythonWorker>[0] = {},
  ) {}

  async call(call: PythonCall, handlers: PythonCallHandlers = {}): Promise<unknown> {
    const worker = await this.acquire();
    try {
      return await worker.call(call, handlers);
    } finally {
      this.release(worker);
    }
  }

  /** Describes a tool (or a class entry) with one of the pool's workers. */
  async inspect(file: string, fn?: string, paths?: string[]): Promise<PythonToolDescription> {
    const worker = await this.acquire();
    try {
      return await worker.inspect(file, fn, paths);
    } finally {
      this.release(worker);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.stop()));
  }

  private acquire(): Promise<PythonWorker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    if (this.all.length < this.size) {
      const created = new PythonWorker(this.options);
      this.all.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(worker: PythonWorker): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(worker);
    else this.idle.push(worker);
  }
}
