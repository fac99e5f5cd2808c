import path from "node:path";
import type { NodeOverrides } from "../core/apply-node-overrides.js";
import type { FlowExecutor } from "../core/execution-types.js";
import { loadFlowExecutor } from "../load-flow.js";
import { type ConnectionLimits, DEFAULT_CONCURRENCY, limitModelPort } from "../runs/index.js";
import { createPythonRunner, type PythonRunner } from "../runtimes/python/index.js";
import type { CliContext } from "./cli-context.js";

/** The executors of one command's flows, and how to stop their python workers. */
export interface FlowExecutors {
  executorFor(flow: string): Promise<FlowExecutor>;
  /** Stops the python workers started for python nodes (none start for TypeScript-only flows). */
  close(): Promise<void>;
}

/**
 * Builds (once per flow folder) the executor of a flow with loadFlow's wiring, a lazily started pool
 * of `concurrency` python workers in the flow folder, and optional per-connection rate limits.
 */
export function createFlowExecutors(
  context: CliContext,
  options: {
    limits?: Record<string, ConnectionLimits>;
    concurrency?: number;
    /** `run create --connections`: applied to every flow this command loads. */
    overrides?: NodeOverrides;
    /** The environment flows and python workers see (default the CLI's). */
    env?: NodeJS.ProcessEnv;
    /** A flex class entry's init arguments (`--init`). */
    init?: Record<string, unknown> | undefined;
    /** `run create --environment-variables`: they win over a flow's own `environment_variables`. */
    environmentVariables?: Record<string, string>;
    /** Folders besides each flow's own that image file paths may be read from (the data folders). */
    imageRoots?: readonly string[];
  } = {},
): FlowExecutors {
  const executors = new Map<string, Promise<FlowExecutor>>();
  const runners: PythonRunner[] = [];
  const limits = options.limits ?? {};
  const limited = Object.keys(limits).length > 0;
  return {
    executorFor(flow) {
      const key = path.resolve(flow);
      let executor = executors.get(key);
      if (!executor) {
        const cwd = /\.ya?ml$/i.test(key) ? path.dirname(key) : key;
        const python = createPythonRunner({
          size: options.concurrency ?? DEFAULT_CONCURRENCY,
          cwd,
          env: options.env ?? context.io.env,
        });
        runners.push(python);
        executor = loadFlowExecutor(key, {
          env: options.env ?? context.io.env,
          python,
          ...(options.overrides ? { overrides: options.overrides } : {}),
          ...(options.init ? { init: options.init } : {}),
          ...(options.environmentVariables ? { environmentVariables: options.environmentVariables } : {}),
          // Local runs: image inputs may be files inside the flow folder and the data folders.
          imageRoots: [cwd, ...(options.imageRoots ?? [])],
          ...(limited ? { wrapModels: (models) => limitModelPort(models, limits) } : {}),
        });
        executors.set(key, executor);
      }
      return executor;
    },
    async close() {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}
