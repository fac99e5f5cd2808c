import type { FlowDefinition } from "./flow-definition.js";
import type { ModelPort, TokenUsage } from "./model-port.js";

/** The second argument every TypeScript node receives. */
export interface NodeContext {
  /** The node's name. */
  node: string;
  /** Absolute path of the flow folder. */
  flowDirectory: string;
  /** promptflow's `log_metric`: records a metric (aggregation nodes). */
  logMetric(name: string, value: number, variantId?: string): void;
  /** Aborted on line timeout, cancel or client disconnect. */
  signal: AbortSignal;
  /** The model port, for code nodes that call models themselves. */
  models: ModelPort;
}

/** Loads the default export of a TypeScript/JavaScript code node. */
export type CodeLoader = (absolutePath: string) => Promise<(...args: unknown[]) => unknown>;

export type NodeRunStatus = "Completed" | "Failed" | "Bypassed" | "Canceled";

export interface SerializedError {
  code: string;
  message: string;
  node?: string;
  /** The error type a node threw (e.g. `TypeError`), when it was not a FlowopsError. */
  type?: string;
}

export interface NodeRunRecord {
  node: string;
  status: NodeRunStatus;
  output?: unknown;
  error?: SerializedError;
  /** ISO timestamps. */
  start_time: string;
  end_time: string;
  usage?: TokenUsage;
}

export interface LineResult {
  /** The flow's outputs. With `stream: true`, values may be AsyncIterable<string>. */
  outputs: Record<string, unknown>;
  /** One record per node that was reached (completed, failed or bypassed), by node name. */
  nodes: Record<string, NodeRunRecord>;
  usage: TokenUsage;
}

export interface AggregationResult {
  metrics: Record<string, number>;
  nodes: Record<string, NodeRunRecord>;
  usage: TokenUsage;
}

export interface ExecuteOptions {
  /** `${node.variant_id}`: run the flow with this variant of that node. */
  variant?: string;
  signal?: AbortSignal;
  /** Stream llm outputs that flow straight to an output (for SSE). */
  stream?: boolean;
  /** A line number for traces/records (batch runs). */
  lineNumber?: number;
  /** Trace/run id that spans attach to. */
  runId?: string;
}

export interface ExecutorOptions {
  models: ModelPort;
  /** Defaults to the engine's TypeScript loader (tsx). */
  loadCode?: CodeLoader;
}

/** A flow ready to run: code nodes loaded, templates compiled. */
export interface FlowExecutor {
  readonly definition: FlowDefinition;
  /** Runs one line through every non-aggregation node. Throws NodeExecutionError if a node fails. */
  run(inputs: Record<string, unknown>, options?: ExecuteOptions): Promise<LineResult>;
  /** Runs a single node with the given inputs for its references (promptflow `--node`). */
  runNode(node: string, inputs: Record<string, unknown>, options?: ExecuteOptions): Promise<NodeRunRecord>;
  /**
   * Runs the aggregation nodes once, over lists: for each aggregation-node input, the list of its
   * value over all lines (`lines[i]` are a line's flow inputs and `results[i]` its result).
   */
  runAggregation(
    lines: { inputs: Record<string, unknown>; result: LineResult | undefined }[],
    options?: ExecuteOptions,
  ): Promise<AggregationResult>;
  /** Whether the flow has aggregation nodes. */
  readonly hasAggregation: boolean;
}
