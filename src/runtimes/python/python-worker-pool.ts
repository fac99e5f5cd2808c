import { flowopsHome } from "../../core/flowops-home.js";
import { ensurePythonEnvironment } from "./python-environment.js";
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

  private creating = 0;
  private requirements: string | undefined;
  private interpreter: Promise<string | undefined> | undefined;

  constructor(
    private readonly size: number,
    private readonly options: ConstructorParameters<typeof PythonWorker>[0] & {
      /** FLOWOPS_HOME, where per-requirements virtual environments are kept. */
      home?: string;
      log?: (line: string) => void;
    } = {},
  ) {}

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

  private async acquire(): Promise<PythonWorker> {
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
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(worker: PythonWorker): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(worker);
    else this.idle.push(worker);
  }
}
