import { statSync } from "node:fs";
import path from "node:path";
import { loadConnectionCatalog } from "./connections/connection-catalog.js";
import type { ConnectionStore } from "./connections/connection-store.js";
import { createConnectionStore } from "./connections/create-connection-store.js";
import type { NodeOverrides } from "./core/apply-node-overrides.js";
import type { ExecuteOptions, FlowExecutor, PythonPort } from "./core/execution-types.js";
import { flowopsHome } from "./core/flowops-home.js";
import { createFlowExecutor, FlowopsError, loadFlowDefinition, NodeExecutionError } from "./core/index.js";
import type { ConnectionCatalog, ModelPort } from "./core/model-port.js";
import { parseReference } from "./core/parse-reference.js";
import type { FlowCallOptions, FlowFunction } from "./flow-function.js";
import { createModelPort, isOfflineMode, type ModelMode } from "./providers/create-model-port.js";
import { createConnectionLookup, createPythonRunner } from "./runtimes/python/index.js";
import { loadTelemetrySdk, setupTelemetry } from "./telemetry/setup-telemetry.js";

export interface LoadFlowOptions {
  /** Environment to read FLOWOPS_HOME, FLOWOPS_LLM_MODE, FLOWOPS_CONNECTION_* and OTEL_* from. */
  env?: NodeJS.ProcessEnv;
  /** Where connections are kept; default: FLOWOPS_CONNECTION_* variables, then FLOWOPS_HOME files. */
  connections?: ConnectionStore;
  /** `live`, `record`, `replay` or `mock`; default FLOWOPS_LLM_MODE, else `live`. */
  mode?: ModelMode;
  /** Recordings for record/replay; default `<flow folder>/.recordings`. */
  recordingsDir?: string;
  /** Use this model port instead of the providers (tests, custom gateways). */
  models?: ModelPort;
  /** The variant every call uses unless it names another (`${node.variant_1}`). */
  variant?: string;
  /** Register flowops' OpenTelemetry setup (local span store, OTLP) if none is registered. Default true. */
  tracing?: boolean;
  /** Wraps the model port the flow calls (e.g. per-connection rate limits for batch runs). */
  wrapModels?: (models: ModelPort) => ModelPort;
  /**
   * Runs python nodes (`createPythonRunner`). `loadFlow` starts its own pool (stopped by `close()`);
   * `loadFlowExecutor` wires python only when given one, since the caller must stop it.
   */
  python?: PythonPort;
  /** promptflow's `--connections`: per node, `connection` and input values to use instead (validated). */
  overrides?: NodeOverrides;
  /** A flex class entry's init arguments (promptflow's `--init`); default: `sample.init`, then declared defaults. */
  init?: Record<string, unknown>;
  /** Receives what python tools print (stdout and stderr), as `pf flow test` shows it; default: dropped. */
  pythonOutput?: (text: string) => void;
  /** The run's environment variables: they win over the flow's `environment_variables` (same names). */
  environmentVariables?: Readonly<Record<string, string>>;
  /**
   * Folders image inputs given as file paths may be read from (ExecutorOptions.imageRoots). Default
   * none: servers accept only data URLs and public http(s) URLs. The CLI passes the flow folder and
   * the data file's folder for local runs.
   */
  imageRoots?: readonly string[];
  /**
   * Line and node timeouts in ms (ExecutorOptions); default FLOWOPS_LINE_TIMEOUT / FLOWOPS_NODE_TIMEOUT
   * (seconds), else 600 s per line (promptflow's) and no node limit.
   */
  lineTimeoutMs?: number;
  nodeTimeoutMs?: number;
}

/**
 * Python workers `loadFlow` may start: independent python nodes of a line run side by side, as in
 * promptflow (and concurrent calls of a served flow). Workers start only when a call finds none idle.
 */
const PYTHON_WORKERS = 8;

/**
 * Loads a flow (a folder with flow.dag.yaml, or the YAML file) once and returns it as an async function
 * of its inputs, promptflow's "flow as a function":
 *
 * ```ts
 * const ner = await loadFlow("flows/named-entity-recognition");
 * const { entities } = await ner({ entity_type: "job title", text });
 * ```
 *
 * The flow is validated first (a FlowValidationError lists every problem), code nodes and templates are
 * loaded once, and model calls go through the configured connections (or recordings in replay mode).
 */
export async function loadFlow(source: string, options: LoadFlowOptions = {}): Promise<FlowFunction> {
  if (options.python) return toFlowFunction(await loadFlowExecutor(source, options), options.variant);
  // Python workers start only when a python node runs; `close()` stops them.
  const resolved = path.resolve(source);
  const cwd = statSync(resolved, { throwIfNoEntry: false })?.isDirectory()
    ? resolved
    : path.dirname(resolved);
  const python = createPythonRunner({
    cwd,
    env: options.env ?? process.env,
    size: PYTHON_WORKERS,
    ...(options.pythonOutput ? { output: options.pythonOutput } : {}),
  });
  try {
    const executor = await loadFlowExecutor(source, { ...options, python });
    return toFlowFunction(executor, options.variant, () => python.stop());
  } catch (error) {
    await python.stop();
    throw error;
  }
}

/**
 * `loadFlow`'s wiring (connections, model port with FLOWOPS_LLM_MODE and `<flow>/.recordings`,
 * tracing) returning the engine's executor itself: what batch runs and experiments need.
 */
export async function loadFlowExecutor(source: string, options: LoadFlowOptions = {}): Promise<FlowExecutor> {
  const env = options.env ?? process.env;
  const replay = isOfflineMode(options.mode ?? env["FLOWOPS_LLM_MODE"]);
  const connections = options.connections ?? createConnectionStore(env);
  // Replayed and mocked flows need no connection: only check them when models are really called.
  const catalog: ConnectionCatalog | undefined =
    options.models || replay ? undefined : await loadConnectionCatalog(connections);
  const definition = await loadFlowDefinition(path.resolve(source), {
    ...(catalog ? { connections: catalog } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.python ? { pythonPackageTools: true } : {}),
    env,
  });
  if (options.tracing !== false) {
    await loadTelemetrySdk();
    setupTelemetry({ home: flowopsHome(env), env });
  }
  const models =
    options.models ??
    createModelPort({
      connections,
      ...(options.mode ? { mode: options.mode } : {}),
      recordingsDir: options.recordingsDir ?? path.join(definition.directory, ".recordings"),
      env,
    });
  return createFlowExecutor(definition, {
    models: options.wrapModels ? options.wrapModels(models) : models,
    ...(options.python
      ? { python: options.python, connections: createConnectionLookup(connections, env) }
      : {}),
    ...(options.init ? { init: options.init } : {}),
    ...(options.environmentVariables ? { environmentVariables: options.environmentVariables } : {}),
    ...(options.imageRoots ? { imageRoots: options.imageRoots } : {}),
    ...timeouts(options, env),
  });
}

/** The executor's timeouts: the options, else FLOWOPS_LINE_TIMEOUT / FLOWOPS_NODE_TIMEOUT in seconds. */
function timeouts(
  options: LoadFlowOptions,
  env: NodeJS.ProcessEnv,
): { lineTimeoutMs?: number; nodeTimeoutMs?: number } {
  const fromEnv = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === "") return undefined;
    const seconds = Number(value);
    if (!(seconds >= 0)) {
      throw new FlowopsError(
        "InvalidSetting",
        `${name}='${value}': give a number of seconds (0 turns the limit off).`,
      );
    }
    return seconds * 1000;
  };
  const line = options.lineTimeoutMs ?? fromEnv("FLOWOPS_LINE_TIMEOUT");
  const node = options.nodeTimeoutMs ?? fromEnv("FLOWOPS_NODE_TIMEOUT");
  return {
    ...(line !== undefined ? { lineTimeoutMs: line } : {}),
    ...(node !== undefined ? { nodeTimeoutMs: node } : {}),
  };
}

/** Wraps an executor as a FlowFunction. */
export function toFlowFunction(
  executor: FlowExecutor,
  defaultVariant?: string,
  close: () => Promise<void> = async () => {},
): FlowFunction {
  const executeOptions = (options: FlowCallOptions = {}, stream = false): ExecuteOptions => {
    const variant = options.variant ?? defaultVariant;
    return {
      ...(variant ? { variant } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(stream ? { stream } : {}),
    };
  };
  const run = (inputs: Record<string, unknown>, options?: FlowCallOptions) =>
    executor.run(inputs, executeOptions(options));
  const flow = async (inputs: Record<string, unknown>, options?: FlowCallOptions) =>
    (await run(inputs, options)).outputs;
  return Object.assign(flow, {
    run,
    runNode: (node: string, inputs: Record<string, unknown>, options?: FlowCallOptions) =>
      executor.runNode(node, inputs, executeOptions(options)),
    stream: (inputs: Record<string, unknown>, options?: FlowCallOptions) =>
      streamDeltas(executor, inputs, executeOptions(options, true)),
    definition: executor.definition,
    close,
  });
}

/**
 * promptflow's serving stream: one object with the outputs that do not stream (if any), then one
 * `{ output: chunk }` per chunk of each streaming output.
 */
async function* streamDeltas(
  executor: FlowExecutor,
  inputs: Record<string, unknown>,
  options: ExecuteOptions,
): AsyncGenerator<Record<string, unknown>> {
  const { outputs } = await executor.run(inputs, options);
  const fixed: Record<string, unknown> = {};
  const streams: [string, AsyncIterable<unknown>][] = [];
  for (const [name, value] of Object.entries(outputs)) {
    if (isAsyncIterable(value)) streams.push([name, value]);
    else fixed[name] = value;
  }
  if (Object.keys(fixed).length > 0 || streams.length === 0) yield fixed;
  for (const [name, stream] of streams) {
    try {
      for await (const chunk of stream) yield { [name]: chunk };
    } catch (error) {
      throw streamFailure(executor, name, error);
    }
  }
}

/** A stream that fails after the run returned: name the node that produced it, as a run failure would. */
function streamFailure(executor: FlowExecutor, output: string, error: unknown): unknown {
  if (error instanceof FlowopsError) return error;
  let node: string | undefined;
  try {
    const reference = parseReference(executor.definition.outputs[output]?.reference);
    if (reference?.kind === "node") node = reference.node;
  } catch {
    // an output that is not a node reference
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new NodeExecutionError(
    "NodeExecutionFailed",
    `${node ? `Node '${node}'` : `Output '${output}'`} failed while streaming: ${reason}`,
    { ...(node ? { node } : {}), cause: error },
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && Symbol.asyncIterator in value;
}
