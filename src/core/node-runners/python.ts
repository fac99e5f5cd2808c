import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import { context, trace } from "@opentelemetry/api";
import { NotSupportedError, UserError } from "../errors.js";
import type { ConnectionObject, PythonSignature, PythonToolSpan } from "../execution-types.js";
import { resolveFlexInit } from "../flex/resolve-init.js";
import { resolveFlowEnvironment } from "../flow-environment.js";
import { imageFromText } from "../image-from-text.js";
import { parseReference } from "../parse-reference.js";
import { pythonImportRoots, resolveFlowFile } from "../resolve-flow-file.js";
import { traceValue } from "../tracing.js";
import { isAssistantDefinition, readAssistantDefinition } from "./assistant-definition.js";
import { ChunkChannel } from "./chunk-channel.js";
import { fillModelConfigurations } from "./fill-model-configurations.js";
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
  const packageTool = node.source.type !== "code" ? node.source.tool : undefined;
  const path = packageTool ? `package:${packageTool}` : node.source.path;
  const file = packageTool ? path : path ? resolveFlowFile(flow, path) : undefined;
  if (!path || !file) {
    const message = path
      ? `Node '${node.name}': its python file '${path}' does not exist in ${flow.directory}. Fix source.path.`
      : `Node '${node.name}' has no source.path: point it at its .py file.`;
    return () => {
      throw new UserError("CodeFileMissing", message, { node: node.name, field: "source.path" });
    };
  }
  const fn = node.source.function;
  const importRoots = pythonImportRoots(flow);
  const imageInputs = imageTypedInputs(setup);
  let signature: Promise<PythonSignature | undefined> | undefined;
  const signatureOf = (): Promise<PythonSignature | undefined> => {
    signature ??= python.inspect ? python.inspect(file, fn, importRoots) : Promise.resolve(undefined);
    signature.catch(() => {
      signature = undefined;
    });
    return signature;
  };

  // The flow's environment_variables, resolved once (a failed lookup is retried, and fails each line).
  let environment: Promise<Record<string, string>> | undefined;
  const environmentOf = (): Promise<Record<string, string>> => {
    environment ??= resolveFlowEnvironment(flow, setup.environmentVariables, setup.connections);
    environment.catch(() => {
      environment = undefined;
    });
    return environment;
  };

  return async (call: NodeCall) => {
    const env = await environmentOf();
    const described = await signatureOf();
    const connectionParams = [...(described?.params ?? []), ...(described?.init ?? [])]
      .filter((p) => p.connection)
      .map((p) => p.name);
    const inputs: Record<string, unknown> = { ...call.inputs };
    for (const name of imageInputs)
      if (typeof inputs[name] === "string" && inputs[name] !== "") inputs[name] = imageFromText(inputs[name]);
    // A bypassed node's value is left out where the parameter has a default, so the default applies.
    for (const name of call.bypassedInputs ?? []) {
      if (described?.params.some((p) => p.name === name && !p.required)) delete inputs[name];
    }
    const init = await fillModelConfigurations(
      resolveFlexInit(flow, setup.init),
      described?.init ?? [],
      setup.connections,
    );
    const connections: Record<string, ConnectionObject> = {};
    for (const name of connectionParams) {
      const holder = name in inputs ? inputs : init && name in init ? init : undefined;
      const value = holder?.[name];
      if (!holder || typeof value !== "string") continue;
      connections[name] = await lookupConnection(setup, value, name);
      delete holder[name];
    }
    // An AssistantDefinition parameter given a file name in the flow YAML: the definition, and the
    // connections its tools' predefined inputs name.
    for (const param of described?.params ?? []) {
      const literal = node.inputs[param.name];
      if (!isAssistantDefinition(param.annotation) || typeof literal !== "string" || parseSafely(literal))
        continue;
      const read = await readAssistantDefinition(flow, node.name, param.name, literal);
      inputs[param.name] = read.value;
      for (const [key, name] of read.predefined) {
        const connection = await setup.connections?.get(name);
        if (connection) connections[`assistant:${param.name}:${key}`] = connection;
      }
    }
    if (!fn && described) assertInputsGiven(node.name, described, inputs, connections);
    const parent = call.span ? trace.setSpan(context.active(), call.span) : context.active();
    // A generator's chunks (`whole`), or a record (dataclass/dict) some of whose fields are generators.
    const whole = new ChunkChannel();
    const fields = new Map<string, ChunkChannel>();
    let record: Record<string, unknown> | undefined;
    let started: (() => void) | undefined;
    const streamStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const result = python.call(
      {
        node: node.name,
        file,
        ...(fn ? { function: fn } : {}),
        inputs,
        ...(Object.keys(connections).length > 0 ? { connections } : {}),
        ...(init ? { init } : {}),
        paths: importRoots,
        context: operationContext(flow.directory, parent),
        ...(Object.keys(env).length > 0 ? { env } : {}),
        ...(flow.extra.message_format === "openai-vision" ? { messageFormat: "openai-vision" as const } : {}),
      },
      {
        signal: call.context.signal,
        onChunk: (value, field, text) => {
          (field === undefined ? whole : fields.get(field))?.push(value, text);
          if (field === undefined) started?.();
        },
        onRecord: (value, streams) => {
          record = value;
          for (const name of streams) fields.set(name, new ChunkChannel());
          started?.();
        },
        onMetric: (name, value, variant) => call.context.logMetric(name, value, variant),
        onPrompty: (request) => {
          if (!setup.runPrompty) {
            throw new NotSupportedError(
              "PromptyNotAvailable",
              `Node '${node.name}' called Prompty, but this executor has no prompty runner.`,
              { node: node.name },
            );
          }
          const runPrompty = setup.runPrompty;
          const parentSpan = call.span;
          return context.with(parent, () =>
            runPrompty({ ...request, signal: call.context.signal, ...(parentSpan ? { parentSpan } : {}) }),
          );
        },
        onSpan: (span) => recordSpan(span, parent),
      },
    );
    const settle = (error?: unknown) => {
      whole.close(error);
      for (const channel of fields.values()) channel.close(error);
    };
    result.then(
      () => settle(),
      (error) => settle(error ?? new Error("python call failed")),
    );
    if (call.stream) {
      // A generator (or a record of generators) streams chunk by chunk; any other result is handed back.
      const first = await Promise.race([result.then((value) => ({ value })), streamStarted]);
      if (first && !record && whole.size === 0) return first.value;
      if (!record) return whole.stream();
      const streamed: Record<string, unknown> = { ...record };
      for (const [name, channel] of fields) streamed[name] = channel.stream();
      return streamed;
    }
    const value = await result;
    // A flex class's `__aggregate__` returns its metrics: numbers are logged as the run's metrics.
    if (fn?.endsWith(".__aggregate__") && value !== null && typeof value === "object") {
      for (const [name, metric] of Object.entries(value as Record<string, unknown>))
        if (typeof metric === "number" && Number.isFinite(metric)) call.context.logMetric(name, metric);
    }
    if (record) {
      const joined: Record<string, unknown> = { ...record };
      for (const [name, channel] of fields) joined[name] = channel.joined();
      return joined;
    }
    if (whole.size > 0 && value == null) return whole.joined();
    return value;
  };
}

/**
 * The node's inputs that read an `image` flow input as a whole (`${inputs.picture}`): a text value there
 * (a file name, a URL, a data URL) reaches the tool as an Image, as promptflow converts image inputs.
 */
function parseSafely(value: string): boolean {
  try {
    return parseReference(value) !== undefined;
  } catch {
    return true;
  }
}

function imageTypedInputs(setup: RunnerSetup): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(setup.node.inputs ?? {})) {
    let ref: ReturnType<typeof parseReference>;
    try {
      ref = parseReference(value);
    } catch {
      continue;
    }
    if (ref?.kind === "inputs" && ref.path.length === 0 && setup.flow.inputs[ref.name]?.type === "image")
      names.push(name);
  }
  return names;
}

/**
 * A DAG node's tool parameter without a default that the node's inputs do not give is a UserError naming
 * the node and the parameter (python would say `missing 1 required positional argument`, pointing at
 * the worker), as promptflow refuses such a node before calling it.
 */
function assertInputsGiven(
  node: string,
  signature: PythonSignature,
  inputs: Record<string, unknown>,
  connections: Record<string, ConnectionObject>,
): void {
  const missing = signature.params.filter(
    (p) => p.required && !(p.name in inputs) && !(p.name in connections),
  );
  if (missing.length === 0) return;
  const names = missing.map((p) => `'${p.name}'`).join(", ");
  const connection = missing.find((p) => p.connection);
  const hint = connection
    ? ` (a connection: name it there, or on 'flowops run create' with --connections ${node}.${connection.name}=NAME)`
    : "";
  throw new UserError(
    "ToolInputMissing",
    `Node '${node}': its tool ${signature.name}() needs ${names}, which the node's inputs do not give: add ${missing.length > 1 ? "them" : "it"} under the node's inputs in the flow YAML${hint}.`,
    { node, field: `inputs.${missing[0]!.name}` },
  );
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

/** promptflow's OperationContext of a call: the flow's id and the trace (root run) it belongs to. */
function operationContext(
  directory: string,
  parent: ReturnType<typeof context.active>,
): Record<string, string> {
  const span = trace.getSpan(parent)?.spanContext();
  const traceId = span && span.traceId !== "00000000000000000000000000000000" ? span.traceId : randomUUID();
  return { "flow-id": basename(directory), "root-run-id": traceId };
}
