import { BYPASSED, COMPLETED, DagState, dagShape } from "./dag-state.js";
import { UserError } from "./errors.js";
import { type DagRun, executeDag, nodeFailure } from "./execute-dag.js";
import type { ExecState } from "./execution-state.js";
import type { NodeRunRecord } from "./execution-types.js";
import type { FlowDefinition } from "./flow-definition.js";
import type { FlowPlans, Plan, PlannedNode } from "./flow-plan.js";
import { coerceValue } from "./resolve-inputs.js";

/**
 * promptflow's `pf flow test --node`: runs one node alone, its `activate` ignored. Its references are
 * read from `given`:
 * - `${inputs.x}` from `given["inputs.x"]`, else `given.x` (defaults and declared types applied);
 * - `${n.output...}` from `given["n.output"]`, else `given.n` (null means "n was bypassed");
 * - any of the node's own input names given directly overrides its reference.
 * An aggregation node receives one-element lists, as promptflow does for a single line.
 */
export async function runSingleNode(
  definition: FlowDefinition,
  plans: FlowPlans,
  name: string,
  given: Record<string, unknown>,
  run: DagRun,
): Promise<NodeRunRecord> {
  const aggregation = plans.aggregation.byName.get(name);
  const node = plans.line.byName.get(name) ?? aggregation;
  if (!node) {
    const known = [...plans.line.byName.keys(), ...plans.aggregation.byName.keys()].join(", ");
    throw new UserError("NodeNotFound", `The flow has no node '${name}'. Its nodes: ${known}.`, {
      node: name,
    });
  }
  const inputs = singleNodeFlowInputs(definition, given);
  const lineNodes: Record<string, NodeRunRecord> = {};
  const lineState: ExecState = {
    inputs,
    outputs: new Array(plans.line.nodes.length),
    dag: new DagState(dagShape(plans.line.nodes.map(() => []))),
  };
  for (const other of plans.line.nodes) {
    if (other.name === name) continue;
    const value = given[`${other.name}.output`] ?? given[other.name];
    if (value === undefined) continue;
    lineState.outputs[other.index] = value;
    lineState.dag.settle(other.index, value === null ? BYPASSED : COMPLETED);
    lineNodes[other.name] = {
      node: other.name,
      status: "Completed",
      output: value,
      start_time: "",
      end_time: "",
    };
  }
  const state: ExecState = aggregation
    ? {
        ...lineState,
        dag: new DagState(plans.aggregation.shape),
        lines: [{ inputs, result: { outputs: {}, nodes: lineNodes, usage: zeroUsage() } }],
      }
    : lineState;
  const values: [string, () => unknown][] = node.inputs.map(([input, get]) => {
    let value: unknown;
    try {
      value = input in given ? given[input] : get(state);
    } catch (error) {
      throw nodeFailure(name, error);
    }
    return [input, () => value];
  });
  const alone: PlannedNode = {
    ...node,
    index: 0,
    inputs: values,
    bypass: { hasActivate: false, inputNodes: [] },
    promptInputs: [],
    nodeInputs: [],
  };
  delete alone.activate;
  const plan: Plan = { nodes: [alone], shape: dagShape([[]]), byName: new Map([[name, alone]]) };
  const outcome = await executeDag(plan, { ...run, inputs });
  return outcome.nodes[name]!;
}

const zeroUsage = () => ({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });

function singleNodeFlowInputs(
  definition: FlowDefinition,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) if (key.startsWith("inputs.")) out[key.slice(7)] = value;
  for (const [name, input] of Object.entries(definition.inputs)) {
    const value = out[name] ?? given[name] ?? input.default;
    if (value !== undefined) out[name] = coerceValue(input.type, value, name);
  }
  return out;
}
