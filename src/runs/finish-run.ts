import type { FlowExecutor, LineResult, NodeRunRecord } from "../core/execution-types.js";
import type { TokenUsage } from "../core/model-port.js";
import type { LineRecord, RunRecord, RunStatus, RunStore } from "../stores/run-store.js";
import { addUsage, NO_USAGE } from "./run-counters.js";
import { serializeError } from "./serialize-error.js";

export interface FinishRunOptions {
  store: RunStore;
  run: string;
  /** Needed for evaluation: its aggregation nodes run over the completed lines. */
  executor?: FlowExecutor;
  variant?: string;
  /** `Canceled` skips evaluation; default `Completed`. */
  status?: Extract<RunStatus, "Completed" | "Canceled">;
}

/**
 * Closes a run: recounts its lines and token usage from the stored lines (exact, whatever wrote
 * them), runs the flow's aggregation nodes over the completed lines and stores their metrics, and
 * sets the final status. An aggregation that throws is recorded as the run's error; the lines stay.
 */
export async function finishRun(options: FinishRunOptions): Promise<RunRecord> {
  const { store, run: name } = options;
  const evaluate = options.status !== "Canceled" && options.executor?.hasAggregation === true;
  const completedLines: { inputs: Record<string, unknown>; result: LineResult }[] = [];
  let completed = 0;
  let failed = 0;
  let usage: TokenUsage = NO_USAGE;
  for await (const line of store.iterateLines(name)) {
    if (line.status === "Completed") completed++;
    else failed++;
    usage = addUsage(usage, line.usage);
    if (evaluate && line.status === "Completed")
      completedLines.push({ inputs: line.inputs, result: lineResult(line) });
  }
  const current = await store.getRun(name);
  const change: Partial<RunRecord> = {
    status: options.status ?? "Completed",
    ended_on: new Date().toISOString(),
    lines: { total: Math.max(current?.lines.total ?? 0, completed + failed), completed, failed },
  };
  if (evaluate && options.executor) {
    try {
      const aggregation = await options.executor.runAggregation(completedLines, {
        runId: name,
        ...(options.variant ? { variant: options.variant } : {}),
      });
      change.metrics = aggregation.metrics;
      usage = addUsage(usage, aggregation.usage);
    } catch (error) {
      change.error = serializeError(error);
    }
  }
  change.usage = usage;
  return store.updateRun(name, change);
}

function lineResult(line: LineRecord): LineResult {
  const nodes: Record<string, NodeRunRecord> = {};
  for (const [node, output] of Object.entries(line.node_outputs ?? {})) {
    nodes[node] = { node, status: "Completed", output, start_time: line.start_time, end_time: line.end_time };
  }
  return { outputs: line.outputs ?? {}, nodes, usage: line.usage ?? NO_USAGE };
}
