import path from "node:path";
import type { Span } from "@opentelemetry/api";
import { type DagRun, executeDag } from "./execute-dag.js";
import type {
  AggregationResult,
  ExecuteOptions,
  ExecutorOptions,
  FlowExecutor,
  LineResult,
} from "./execution-types.js";
import type { FlowDefinition } from "./flow-definition.js";
import { buildPlans, type FlowPlans } from "./flow-plan.js";
import { DEFAULT_LINE_TIMEOUT_MS } from "./line-timeouts.js";
import { loadCodeNode } from "./load-code-node.js";
import { createPromptyCaller } from "./prompty/create-prompty-caller.js";
import { coerceFlowInputs, coerceValue } from "./resolve-inputs.js";
import { runSingleNode } from "./run-single-node.js";
import { traceStreams } from "./trace-stream.js";
import { endSpanError, endSpanOk, startFlowSpan } from "./tracing.js";

const noMetric = (): void => {};

/**
 * Creates the executor of a validated flow: loads its code nodes, compiles its templates and references
 * once, then runs lines (`run`), single nodes (`runNode`) and the aggregation pass (`runAggregation`).
 * Plans for non-default variants are built on first use and kept.
 */
export async function createFlowExecutor(
  definition: FlowDefinition,
  options: ExecutorOptions,
): Promise<FlowExecutor> {
  const loadCode = options.loadCode ?? loadCodeNode;
  const { models } = options;
  const plans = new Map<string, Promise<FlowPlans>>();
  const requirements = definition.environment?.python_requirements_txt;
  if (requirements && options.python?.useRequirements)
    options.python.useRequirements(path.resolve(definition.directory, requirements));
  // Python code that loads a .prompty with promptflow.core's Prompty runs it through this same engine.
  const runPrompty = options.python
    ? createPromptyCaller((prompty) => createFlowExecutor(prompty, { models, loadCode }))
    : undefined;
  const plansFor = (variant: string | undefined): Promise<FlowPlans> => {
    const key = variant ?? "";
    let pending = plans.get(key);
    if (!pending) {
      pending = buildPlans(definition, {
        models,
        loadCode,
        ...(options.python ? { python: options.python } : {}),
        ...(runPrompty ? { runPrompty } : {}),
        ...(options.connections ? { connections: options.connections } : {}),
        ...(options.init ? { init: options.init } : {}),
        ...(options.environmentVariables ? { environmentVariables: options.environmentVariables } : {}),
        ...(options.imageRoots ? { imageRoots: options.imageRoots } : {}),
        ...(variant ? { variant } : {}),
      });
      plans.set(key, pending);
      pending.catch(() => plans.delete(key));
    }
    return pending;
  };
  const defaults = await plansFor(undefined);
  const pick = (variant: string | undefined): FlowPlans | Promise<FlowPlans> =>
    variant ? plansFor(variant) : defaults;

  const lineTimeoutMs = options.lineTimeoutMs ?? DEFAULT_LINE_TIMEOUT_MS;
  const dagRun = (inputs: Record<string, unknown>, opts: ExecuteOptions, span: Span | undefined): DagRun => ({
    inputs,
    flowDirectory: definition.directory,
    models,
    stream: opts.stream ?? false,
    logMetric: noMetric,
    timeoutMs: opts.timeoutMs ?? lineTimeoutMs,
    ...(options.nodeTimeoutMs ? { nodeTimeoutMs: options.nodeTimeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(span?.isRecording() ? { span } : {}),
  });

  const traced = async <T>(
    inputs: Record<string, unknown>,
    opts: ExecuteOptions,
    body: (span: Span, handOver: () => void) => Promise<T>,
    outputOf: (result: T) => unknown,
  ): Promise<T> => {
    // A body whose outputs stream hands the span over to them: it ends when they have been read.
    let handedOver = false;
    const span = startFlowSpan(
      {
        flowFile: definition.file,
        ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
        ...(opts.lineNumber !== undefined ? { lineNumber: opts.lineNumber } : {}),
        ...(opts.variant !== undefined ? { variant: opts.variant } : {}),
      },
      inputs,
      opts.parentSpan,
    );
    try {
      const result = await body(span, () => {
        handedOver = true;
      });
      if (!handedOver) endSpanOk(span, outputOf(result), (result as { usage?: LineResult["usage"] }).usage);
      return result;
    } catch (error) {
      endSpanError(span, error);
      throw error;
    }
  };

  const executor: FlowExecutor = {
    definition,
    hasAggregation: definition.nodes.some((n) => n.aggregation),

    async run(given, opts = {}) {
      const inputs = coerceFlowInputs(definition.inputs, given);
      const plan = await pick(opts.variant);
      return traced(
        inputs,
        opts,
        async (span, handOver) => {
          const outcome = await executeDag(plan.line, dagRun(inputs, opts, span));
          const outputs: Record<string, unknown> = plan.flexOutputs ? plan.flexOutputs(outcome.state) : {};
          if (!plan.flexOutputs) for (const [name, get] of plan.outputs) outputs[name] = get(outcome.state);
          if (opts.stream && span.isRecording() && traceStreams(outputs, span, () => outcome.usage))
            handOver();
          return { outputs, nodes: outcome.nodes, usage: outcome.usage };
        },
        (r) => r.outputs,
      );
    },

    async runNode(name, given, opts = {}) {
      const plans = await pick(opts.variant);
      const metrics: Record<string, number> = {};
      const run = {
        ...dagRun({}, opts, undefined),
        logMetric: (k: string, v: number) => {
          metrics[k] = v;
        },
      };
      return runSingleNode(definition, plans, name, given, run);
    },

    async runAggregation(lines, opts = {}) {
      const plan = await pick(opts.variant);
      const metrics: Record<string, number> = {};
      if (plan.aggregation.nodes.length === 0) return { metrics, nodes: {}, usage: zeroUsage() };
      const completed = lines
        .filter((line) => line.result !== undefined)
        .map((line) => ({ inputs: applyDefaults(definition, line.inputs), result: line.result }));
      return traced(
        {},
        opts,
        async (span) => {
          const run: DagRun = {
            ...dagRun({}, opts, span),
            lines: completed,
            stream: false,
            timeoutMs: opts.timeoutMs ?? 0,
            logMetric: (name, value) => {
              metrics[name] = value;
            },
          };
          const outcome = await executeDag(plan.aggregation, run);
          return { metrics, nodes: outcome.nodes, usage: outcome.usage } satisfies AggregationResult;
        },
        (r) => r.metrics,
      );
    },
  };
  return executor;
}

const zeroUsage = () => ({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });

/** Line inputs with defaults applied and declared types coerced, tolerating lines that lack some. */
function applyDefaults(definition: FlowDefinition, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const [name, input] of Object.entries(definition.inputs)) {
    const value = out[name] ?? input.default;
    if (value === undefined) continue;
    try {
      out[name] = coerceValue(input.type, value, name);
    } catch {
      out[name] = value;
    }
  }
  return out;
}
