import type { LineResult, NodeRunRecord } from "./core/execution-types.js";
import type { FlowDefinition } from "./core/flow-definition.js";

export interface FlowCallOptions {
  /** `${node.variant_id}`: run with this variant of that node. */
  variant?: string;
  /** Aborts the run (client disconnect, timeout). */
  signal?: AbortSignal;
}

/**
 * A flow as an async function (promptflow's "flow as a function"): call it with the flow's inputs to get
 * its outputs. `stream` yields promptflow's serving deltas: first one object with every output that does
 * not stream, then `{ output: chunk }` for each chunk of each streaming output.
 */
export interface FlowFunction {
  (inputs: Record<string, unknown>, options?: FlowCallOptions): Promise<Record<string, unknown>>;
  stream(inputs: Record<string, unknown>, options?: FlowCallOptions): AsyncIterable<Record<string, unknown>>;
  /** The full line result: outputs, one record per node, token usage. */
  run(inputs: Record<string, unknown>, options?: FlowCallOptions): Promise<LineResult>;
  /** Runs one node alone with the values of its references (promptflow `flow test --node`). */
  runNode(node: string, inputs: Record<string, unknown>, options?: FlowCallOptions): Promise<NodeRunRecord>;
  readonly definition: FlowDefinition;
  /** Stops what the flow started (python workers). The function must not be called afterwards. */
  close(): Promise<void>;
}
