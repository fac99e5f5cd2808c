import type { ConnectionStore } from "../../connections/connection-store.js";
import { resolveConnection } from "../../connections/resolve-connection.js";
import type { ConnectionLookup, ConnectionObject, PythonPort } from "../../core/execution-types.js";
import { PythonWorkerPool } from "./python-worker-pool.js";

export { PythonTimeoutError, PythonToolError, PythonWorkerError } from "./python-errors.js";
export type {
  PythonCall,
  PythonCallHandlers,
  PythonParameterDescription,
  PythonSpan,
  PythonToolDescription,
} from "./python-worker.js";
export { PythonWorker } from "./python-worker.js";
export { PythonWorkerPool } from "./python-worker-pool.js";

export interface PythonRunnerOptions {
  /** How many python processes may run lines at once (a batch run's `--concurrency`). Default 1. */
  size?: number;
  /** The interpreter; default FLOWOPS_PYTHON, else `python3`. */
  python?: string;
  /** Working directory of the workers (the flow folder). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where per-requirements virtual environments are kept; default FLOWOPS_HOME (from `env`). */
  home?: string;
  /** Progress lines (a requirements install). */
  log?: (line: string) => void;
}

/** A python runtime for `ExecutorOptions.python`: a lazily started pool; call `stop()` when done. */
export interface PythonRunner extends PythonPort {
  stop(): Promise<void>;
}

/**
 * The python runtime the application passes to the engine:
 * `createFlowExecutor(definition, { models, python: createPythonRunner({ size }) })`.
 * No process starts until a python node runs; stop it with the flow.
 */
export function createPythonRunner(options: PythonRunnerOptions = {}): PythonRunner {
  const { size = 1, ...workerOptions } = options;
  return new PythonWorkerPool(Math.max(1, size), workerOptions);
}

/**
 * `ExecutorOptions.connections` over a connection store: the full connection (with `${env:VAR}`
 * resolved) for python tools typed as connections and for package tools.
 */
export function createConnectionLookup(
  store: ConnectionStore,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionLookup {
  return {
    async get(name) {
      const found = await store.get(name);
      return found ? (resolveConnection(found, env) as unknown as ConnectionObject) : undefined;
    },
  };
}
