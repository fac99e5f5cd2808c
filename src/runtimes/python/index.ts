import type { ConnectionStore } from "../../connections/connection-store.js";
import { resolveConnection } from "../../connections/resolve-connection.js";
import type { ConnectionLookup, ConnectionObject, PythonPort } from "../../core/execution-types.js";
import { PythonWorkerPool } from "./python-worker-pool.js";

export {
  PythonQueueFullError,
  PythonTimeoutError,
  PythonToolError,
  PythonWorkerError,
} from "./python-errors.js";
export type {
  PythonCall,
  PythonCallHandlers,
  PythonParameterDescription,
  PythonSpan,
  PythonToolDescription,
} from "./python-worker.js";
export { PythonWorker } from "./python-worker.js";
export {
  DEFAULT_PYTHON_QUEUE,
  DEFAULT_PYTHON_TIMEOUT_MS,
  type PythonPoolOptions,
  PythonWorkerPool,
} from "./python-worker-pool.js";

import type { PythonPoolOptions } from "./python-worker-pool.js";

export interface PythonRunnerOptions {
  /** How many python processes may run lines at once (a batch run's `--concurrency`). Default 1. */
  size?: number;
  /** The interpreter; default FLOWOPS_PYTHON, else `python3`. */
  python?: string;
  /** Working directory of the workers (the flow folder). */
  cwd?: string;
  /** The environment the workers start from (secrets are dropped, see worker-environment.ts). */
  env?: NodeJS.ProcessEnv;
  /** Where per-requirements virtual environments are kept; default FLOWOPS_HOME (from `env`). */
  home?: string;
  /** Progress lines (a requirements install). */
  log?: (line: string) => void;
  /** Receives what python tools print (their stdout and stderr, secrets scrubbed); default: dropped. */
  output?: (text: string) => void;
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
export function createPythonRunner(options: PythonRunnerOptions & PythonPoolOptions = {}): PythonRunner {
  const { size = 1, ...workerOptions } = options;
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? seconds(env["FLOWOPS_PYTHON_TIMEOUT"]);
  const maxQueue = options.maxQueue ?? count(env["FLOWOPS_PYTHON_QUEUE"]);
  return new PythonWorkerPool(Math.max(1, size), {
    ...workerOptions,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxQueue !== undefined ? { maxQueue } : {}),
  });
}

/** A positive number of seconds from a setting, in ms; undefined when unset or not a positive number. */
function seconds(value: string | undefined): number | undefined {
  const parsed = Number(value);
  return value && parsed > 0 ? parsed * 1000 : undefined;
}

function count(value: string | undefined): number | undefined {
  const parsed = Number(value);
  return value && Number.isInteger(parsed) && parsed >= 0 ? parsed : undefined;
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
