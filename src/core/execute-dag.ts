import type { Span } from "@opentelemetry/api";
import { BYPASSED, COMPLETED, DagState, pythonEquals, shouldBypass } from "./dag-state.js";
import { FlowopsError, InputError, NodeExecutionError, NotSupportedError } from "./errors.js";
import type { AggregationLine, ExecState } from "./execution-state.js";
import type { NodeContext, NodeRunRecord } from "./execution-types.js";
import type { Plan, PlannedNode } from "./flow-plan.js";
import { LineTimeoutError, NodeTimeoutError } from "./line-timeouts.js";
import type { ModelPort, TokenUsage } from "./model-port.js";
import { type NodeCall, PromptResult } from "./node-runners/index.js";
import { isAsyncIterable } from "./node-runners/node-runner.js";
import { traceStream } from "./trace-stream.js";
import { endSpanError, endSpanOk, startNodeSpan, withSpan } from "./tracing.js";

/** What one execution of a plan needs besides the plan. */
export interface DagRun {
  inputs: Record<string, unknown>;
  lines?: AggregationLine[];
  flowDirectory: string;
  models: ModelPort;
  signal?: AbortSignal;
  /** The line fails with LineTimeoutError after this long (0 or unset: no limit). */
  timeoutMs?: number;
  /** Each node fails with NodeTimeoutError after this long (0 or unset: no limit). */
  nodeTimeoutMs?: number;
  stream: boolean;
  /** The flow span, when tracing records. */
  span?: Span;
  logMetric(name: string, value: number, variantId?: string): void;
}

export interface DagOutcome {
  state: ExecState;
  nodes: Record<string, NodeRunRecord>;
  usage: TokenUsage;
}

const isPromise = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";

/** The error a failed node turns the line into: NodeExecutionError naming the node and the cause. */
export function nodeFailure(node: string, error: unknown): FlowopsError {
  // Refusals of the caller's input (an image input under the image policy) stay input errors (4xx).
  if (error instanceof NotSupportedError || error instanceof InputError) return error;
  if (error instanceof NodeExecutionError && error.node === node) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const retryable = error instanceof FlowopsError ? error.retryable : false;
  return new NodeExecutionError("NodeExecutionFailed", `Node '${node}' failed: ${reason}`, {
    node,
    cause: error,
    retryable,
  });
}

let lastMs = -1;
let lastIso = "";
/** ISO time, formatted at most once per millisecond (formatting costs more than a trivial node). */
function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

export class RunCanceledError extends FlowopsError {}

const canceled = (reason: unknown): RunCanceledError =>
  new RunCanceledError("Canceled", "The flow run was canceled before it finished.", { cause: reason });

/**
 * Runs a plan's nodes as soon as their dependencies settle (no polling): ready nodes start at once,
 * independent ones concurrently; synchronous nodes complete in the same tick. The first failure rejects
 * with a NodeExecutionError and aborts the signal lent to in-flight nodes, as does `run.signal`. With
 * `timeoutMs` (`nodeTimeoutMs`) the line (a node) fails with a timeout error once it runs that long,
 * aborting the signal lent to its model and python calls. The timers start with the first node that
 * does not complete synchronously, so lines of synchronous nodes pay nothing for them.
 */
export function executeDag(plan: Plan, run: DagRun): Promise<DagOutcome> {
  const dag = new DagState(plan.shape);
  const state: ExecState = { inputs: run.inputs, outputs: new Array(plan.nodes.length), dag };
  if (run.lines) state.lines = run.lines;
  const nodes: Record<string, NodeRunRecord> = {};
  const usage: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  if (plan.nodes.length === 0) return Promise.resolve({ state, nodes, usage });
  if (run.signal?.aborted) return Promise.reject(canceled(run.signal.reason));

  // Created on first use: an AbortController costs more than running a trivial node.
  let controller: AbortController | undefined;
  const lineSignal = (): AbortSignal => {
    controller ??= new AbortController();
    return controller.signal;
  };
  const promptResults: (PromptResult | undefined)[] = [];

  return new Promise<DagOutcome>((resolve, reject) => {
    let finished = false;
    let inFlight = 0;
    const onAbort = () => stop(canceled(run.signal!.reason));
    run.signal?.addEventListener("abort", onAbort, { once: true });
    // Nodes whose promise is pending, with their node timer (if any): what a timeout fails.
    const running = new Map<string, ReturnType<typeof setTimeout> | undefined>();
    let lineTimer: ReturnType<typeof setTimeout> | undefined;
    const clearTimers = () => {
      if (lineTimer) clearTimeout(lineTimer);
      for (const timer of running.values()) if (timer) clearTimeout(timer);
    };
    const timeOut = (error: FlowopsError, only?: string) => {
      if (finished) return;
      for (const name of only ? [only] : running.keys()) {
        const record = nodes[name];
        if (!record) continue;
        record.status = "Failed";
        record.end_time = nowIso();
        record.error = { code: error.code, message: error.message, node: name };
        dag.fail(plan.nodes.findIndex((n) => n.name === name));
      }
      stop(error);
    };
    const track = (name: string) => {
      if (!lineTimer && run.timeoutMs && run.timeoutMs > 0) {
        const limit = run.timeoutMs;
        lineTimer = setTimeout(() => timeOut(new LineTimeoutError(limit, [...running.keys()])), limit);
      }
      const nodeLimit = run.nodeTimeoutMs;
      running.set(
        name,
        nodeLimit && nodeLimit > 0
          ? setTimeout(() => timeOut(new NodeTimeoutError(name, nodeLimit), name), nodeLimit)
          : undefined,
      );
    };
    const untrack = (name: string) => {
      const timer = running.get(name);
      if (timer) clearTimeout(timer);
      running.delete(name);
    };

    let stopReason: FlowopsError | undefined;
    const stop = (error: FlowopsError) => {
      if (finished) return;
      finished = true;
      stopReason = error;
      clearTimers();
      run.signal?.removeEventListener("abort", onAbort);
      controller?.abort(error);
      reject(error);
    };
    const succeed = () => {
      finished = true;
      clearTimers();
      run.signal?.removeEventListener("abort", onAbort);
      // Streamed outputs are read after the run returns: the caller's signal still stops their model calls.
      if (run.stream && controller && run.signal) {
        const lent = controller;
        const signal = run.signal;
        signal.addEventListener("abort", () => lent.abort(canceled(signal.reason)), { once: true });
      }
      resolve({ state, nodes, usage });
    };

    const settle = (node: PlannedNode, status: typeof COMPLETED | typeof BYPASSED) => {
      for (const next of dag.settle(node.index, status)) start(plan.nodes[next]!);
      if (dag.done && inFlight === 0 && !finished) succeed();
    };

    const start = (node: PlannedNode): void => {
      if (finished) return;
      const startTime = nowIso();
      let bypass: boolean;
      try {
        bypass = shouldBypass(node.bypass, dag, () =>
          pythonEquals(node.activate!.when(state), node.activate!.is),
        );
      } catch (error) {
        stop(nodeFailure(node.name, error));
        return;
      }
      if (bypass) {
        nodes[node.name] = {
          node: node.name,
          status: "Bypassed",
          start_time: startTime,
          end_time: startTime,
        };
        settle(node, BYPASSED);
        return;
      }
      dag.start(node.index);
      const record: NodeRunRecord = {
        node: node.name,
        status: "Completed",
        start_time: startTime,
        end_time: startTime,
      };
      nodes[node.name] = record;
      let span: Span | undefined;
      const fail = (error: unknown) => {
        const failure = nodeFailure(node.name, error);
        record.status = "Failed";
        record.end_time = nowIso();
        record.error = { code: failure.code, message: failure.message, node: node.name };
        if (!(error instanceof FlowopsError) && error instanceof Error) record.error.type = error.name;
        dag.fail(node.index);
        if (span) endSpanError(span, error);
        stop(failure);
      };
      const complete = (value: unknown) => {
        let output = value;
        if (output instanceof PromptResult) {
          promptResults[node.index] = output;
          output = output.text;
        }
        record.end_time = nowIso();
        if (span && isAsyncIterable(output)) {
          // A streamed answer's tokens arrive with its last chunk: the span ends when it is read.
          output = traceStream(output, span, () => record.usage, "Completed");
        } else if (span) endSpanOk(span, output, record.usage, "Completed");
        state.outputs[node.index] = output;
        record.output = output;
        settle(node, COMPLETED);
      };
      let call: NodeCall;
      try {
        call = makeCall(node, state, run, lineSignal, record, usage, promptResults);
      } catch (error) {
        fail(error);
        return;
      }
      if (run.span) {
        span = startNodeSpan(run.span, node.name, node.definition.type, call.inputs);
        call.span = span;
      }
      let result: unknown;
      try {
        result = span ? withSpan(span, () => node.runner(call)) : node.runner(call);
      } catch (error) {
        fail(error);
        return;
      }
      if (!isPromise(result)) {
        complete(result);
        return;
      }
      inFlight++;
      track(node.name);
      result.then(
        (value) => {
          inFlight--;
          untrack(node.name);
          if (!finished) complete(value);
          else if (span) endSpanError(span, stopReason);
          checkStalled();
        },
        (error) => {
          inFlight--;
          untrack(node.name);
          if (!finished) fail(error);
          else if (span) endSpanError(span, stopReason ?? error);
        },
      );
    };

    const checkStalled = () => {
      if (!finished && inFlight === 0 && !dag.done) {
        const waiting = plan.nodes.filter((n) => dag.status[n.index] === 0).map((n) => n.name);
        stop(
          new FlowopsError(
            "FlowStalled",
            `Nodes ${waiting.join(", ")} can never run: their dependencies form a cycle.`,
          ),
        );
      }
    };
    for (const i of dag.initialReady()) start(plan.nodes[i]!);
    checkStalled();
  });
}

function makeCall(
  node: PlannedNode,
  state: ExecState,
  run: DagRun,
  signal: () => AbortSignal,
  record: NodeRunRecord,
  lineUsage: TokenUsage,
  promptResults: (PromptResult | undefined)[],
): NodeCall {
  const inputs: Record<string, unknown> = {};
  for (const [name, get] of node.inputs) inputs[name] = get(state);
  const context: NodeContext = {
    node: node.name,
    flowDirectory: run.flowDirectory,
    logMetric: run.logMetric,
    get signal() {
      return signal();
    },
    models: run.models,
  };
  const call: NodeCall = {
    inputs,
    context,
    stream: run.stream && node.streamable,
    reportUsage(u) {
      record.usage ??= { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
      const total = record.usage;
      total.prompt_tokens += u.prompt_tokens;
      total.completion_tokens += u.completion_tokens;
      total.total_tokens += u.total_tokens;
      lineUsage.prompt_tokens += u.prompt_tokens;
      lineUsage.completion_tokens += u.completion_tokens;
      lineUsage.total_tokens += u.total_tokens;
    },
  };
  const bypassedInputs = node.nodeInputs.filter(([, index]) => state.dag.isBypassed(index));
  if (bypassedInputs.length > 0) call.bypassedInputs = bypassedInputs.map(([name]) => name);
  if (node.promptInputs.length > 0) {
    for (const [name, index] of node.promptInputs) {
      const result = promptResults[index];
      if (result && !state.dag.isBypassed(index)) {
        call.promptResults ??= {};
        call.promptResults[name] = result;
      }
    }
  }
  return call;
}
