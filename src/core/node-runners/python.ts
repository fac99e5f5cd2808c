import { context, trace } from "@opentelemetry/api";
import { NotSupportedError, UserError } from "../errors.js";
import type { ConnectionObject, PythonSignature, PythonToolSpan } from "../execution-types.js";
import { resolveFlexInit } from "../flex/resolve-init.js";
import { resolveFlowFile } from "../resolve-flow-file.js";
import { traceValue } from "../tracing.js";
import type { NodeCall, NodeRunner, RunnerSetup } from "./node-runner.js";

const tracer = trace.getTracer("flowops");

/**
 * `type: python`: calls the node's `@tool` function (or, for flex entries, `source.function`) through
 * the python port the application passed in (`ExecutorOptions.python`, a pool of python workers).
 * Parameters typed as promptflow connections receive the connection named by their input, looked up
 * through `ExecutorOptions.connections`. Generator tools stream (or are joined when the run does not
 * stream), `log_metric` reaches the run's metrics and `@trace` spans join the node's span.
 * Without a python port, running the node fails with a NotSupportedError naming the node.
 */
export function createPythonNodeRunner(setup: RunnerSetup): NodeRunner {
  const { node, flow, python } = setup;
  if (!python) {
    const message = `Node '${node.name}' is a python node: python nodes are not supported yet by this host, which was started without a python runtime. Run the flow with the flowops CLI or loadFlow, or pass ExecutorOptions.python (createPythonRunner from flowops' python runtime).`;
    return () => {
      throw new NotSupportedError("PythonRuntimeMissing", message, { node: node.name });
    };
  }
  const path = node.source.path;
  const file = path ? resolveFlowFile(flow, path) : undefined;
  if (!path || !file) {
    const message = path
      ? `Node '${node.name}': its python file '${path}' does not exist in ${flow.directory}. Fix source.path.`
      : `Node '${node.name}' has no source.path: point it at its .py file.`;
    return () => {
      throw new UserError("CodeFileMissing", message, { node: node.name, field: "source.path" });
    };
  }
  const fn = node.source.function;
  let signature: Promise<PythonSignature | undefined> | undefined;
  const signatureOf = (): Promise<PythonSignature | undefined> => {
    signature ??= python.inspect ? python.inspect(file, fn) : Promise.resolve(undefined);
    signature.catch(() => {
      signature = undefined;
    });
    return signature;
  };

  return async (call: NodeCall) => {
    const described = await signatureOf();
    const connectionParams = [...(described?.params ?? []), ...(described?.init ?? [])]
      .filter((p) => p.connection)
      .map((p) => p.name);
    const inputs: Record<string, unknown> = { ...call.inputs };
    const init = resolveFlexInit(flow, setup.init);
    const connections: Record<string, ConnectionObject> = {};
    for (const name of connectionParams) {
      const holder = name in inputs ? inputs : init && name in init ? init : undefined;
      const value = holder?.[name];
      if (!holder || typeof value !== "string") continue;
      connections[name] = await lookupConnection(setup, value, name);
      delete holder[name];
    }
    const parent = context.active();
    const chunks: unknown[] = [];
    let push: ((value: unknown) => void) | undefined;
    let firstChunk: (() => void) | undefined;
    const result = python.call(
      {
        node: node.name,
        file,
        ...(fn ? { function: fn } : {}),
        inputs,
        ...(Object.keys(connections).length > 0 ? { connections } : {}),
        ...(init ? { init } : {}),
      },
      {
        signal: call.context.signal,
        onChunk: (value) => {
          if (push) return push(value);
          chunks.push(value);
          firstChunk?.();
        },
        onMetric: (name, value, variant) => call.context.logMetric(name, value, variant),
        onSpan: (span) => recordSpan(span, parent),
      },
    );
    if (call.stream) {
      // A generator tool streams chunk by chunk; any other tool's result is handed back as is.
      const chunk = new Promise<undefined>((resolve) => {
        firstChunk = () => resolve(undefined);
      });
      const first = await Promise.race([result.then((value) => ({ value })), chunk]);
      if (first && chunks.length === 0) return first.value;
      return streamChunks(chunks, result, (fn) => {
        push = fn;
      });
    }
    const value = await result;
    if (chunks.length > 0 && value == null) {
      return chunks.every((c) => typeof c === "string") ? chunks.join("") : chunks;
    }
    return value;
  };
}

async function lookupConnection(setup: RunnerSetup, name: string, param: string): Promise<ConnectionObject> {
  const node = setup.node.name;
  const found = await setup.connections?.get(name);
  if (!found) {
    throw new UserError(
      "ConnectionNotFound",
      `Node '${node}' input '${param}' names connection '${name}', which does not exist: create it with 'flowops connection create --file CONNECTION.yaml' (or set FLOWOPS_CONNECTION_${name.toUpperCase()}).`,
      { node, field: `inputs.${param}` },
    );
  }
  return found;
}

function recordSpan(span: PythonToolSpan, parent: ReturnType<typeof context.active>): void {
  const otel = tracer.startSpan(span.name, { startTime: span.start * 1000 }, parent);
  if (otel.isRecording()) {
    otel.setAttributes({
      "flowops.span.type": "python.trace",
      "flowops.inputs": traceValue(span.inputs),
      "flowops.output": traceValue(span.output),
    });
    if (span.error) otel.setStatus({ code: 2, message: span.error });
  }
  otel.end(span.end * 1000);
}

async function* streamChunks(
  buffered: unknown[],
  done: Promise<unknown>,
  subscribe: (push: (value: unknown) => void) => void,
): AsyncGenerator<unknown> {
  const queue = [...buffered];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  subscribe((value) => {
    queue.push(value);
    wake?.();
  });
  done.then(
    () => {
      finished = true;
      wake?.();
    },
    (error) => {
      failure = error;
      finished = true;
      wake?.();
    },
  );
  while (true) {
    if (queue.length > 0) {
      yield queue.shift();
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  if (failure) throw failure;
}
