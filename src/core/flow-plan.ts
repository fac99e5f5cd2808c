import { BYPASSED, type BypassRule, type DagShape, dagShape } from "./dag-state.js";
import { UserError } from "./errors.js";
import type { AggregationLine, ExecState } from "./execution-state.js";
import type { CodeLoader, ExecutorOptions, PromptyCaller } from "./execution-types.js";
import type { FlowDefinition, NodeDefinition, Reference } from "./flow-definition.js";
import type { ModelPort } from "./model-port.js";
import { createNodeRunner, type NodeRunner } from "./node-runners/index.js";
import { parseReference } from "./parse-reference.js";
import { compilePath, compileValue, type Getter } from "./resolve-inputs.js";

/**
 * Everything about a flow that does not change from line to line, computed once: node order and
 * dependencies, compiled input getters, bypass rules, loaded code and compiled templates. There is one
 * plan for the line nodes and one for the aggregation nodes (whose references to line nodes read lists
 * over all lines), per selected variant.
 */
export interface PlannedNode {
  index: number;
  name: string;
  definition: NodeDefinition;
  inputs: readonly (readonly [string, Getter<ExecState>])[];
  activate?: { when: Getter<ExecState>; is: unknown };
  bypass: BypassRule;
  /** Inputs fed directly by a prompt node's whole output: [input name, node index]. */
  promptInputs: readonly (readonly [string, number])[];
  /** Inputs whose whole value is a reference to a node of this plan: [input name, node index]. */
  nodeInputs: readonly (readonly [string, number])[];
  /** Whether the output may be handed back as a stream when the run streams. */
  streamable: boolean;
  runner: NodeRunner;
}

export interface Plan {
  nodes: PlannedNode[];
  shape: DagShape;
  byName: Map<string, PlannedNode>;
}

export interface FlowPlans {
  line: Plan;
  aggregation: Plan;
  outputs: readonly (readonly [string, Getter<ExecState>])[];
  /**
   * A flex flow's outputs, read when the line ends (promptflow's `convert_eager_flow_output_to_dict`):
   * the dict (or dataclass) the entry returned, whatever its annotation says, else `{ output: value }`.
   */
  flexOutputs?: (state: ExecState) => Record<string, unknown>;
}

export interface PlanOptions
  extends Pick<ExecutorOptions, "python" | "connections" | "init" | "imageRoots" | "environmentVariables"> {
  models: ModelPort;
  loadCode: CodeLoader;
  /** Runs `.prompty` files that python code loads with promptflow.core's `Prompty`. */
  runPrompty?: PromptyCaller;
  /** `${node.variant_id}` to use for that node; other use_variants nodes use their default variant. */
  variant?: string;
}

/** Parses `${node.variant_id}`. */
export function parseVariant(variant: string): { node: string; variant: string } {
  const match = /^\$\{([^.}]+)\.([^}]+)\}$/.exec(variant.trim());
  if (!match) {
    throw new UserError("InvalidVariant", `Invalid variant '${variant}': write it as \${NODE.VARIANT_ID}.`, {
      field: "variant",
    });
  }
  return { node: match[1]!, variant: match[2]! };
}

/** The node bodies in effect: use_variants nodes take the chosen or default variant's body. */
export function effectiveNodes(flow: FlowDefinition, variant: string | undefined): NodeDefinition[] {
  const chosen = variant ? parseVariant(variant) : undefined;
  if (chosen && !flow.nodes.some((n) => n.name === chosen.node && n.use_variants)) {
    throw new UserError(
      "InvalidVariant",
      `Variant '${variant}': the flow has no node '${chosen.node}' with use_variants.`,
      {
        field: "variant",
      },
    );
  }
  return flow.nodes.map((node) => {
    if (!node.use_variants) return node;
    const variants = flow.node_variants[node.name];
    if (!variants) {
      throw new UserError(
        "InvalidVariant",
        `Node '${node.name}' uses variants but node_variants has none for it.`,
        {
          node: node.name,
        },
      );
    }
    const id = chosen?.node === node.name ? chosen.variant : variants.default_variant_id;
    const body = variants.variants[id];
    if (!body) {
      const known = Object.keys(variants.variants).join(", ");
      throw new UserError(
        "InvalidVariant",
        `Node '${node.name}' has no variant '${id}' (it has: ${known}).`,
        {
          node: node.name,
          field: "variant",
        },
      );
    }
    return { ...body.node, name: node.name, position: node.position } as NodeDefinition;
  });
}

export async function buildPlans(flow: FlowDefinition, options: PlanOptions): Promise<FlowPlans> {
  const all = effectiveNodes(flow, options.variant);
  const lineDefs = all.filter((n) => !n.aggregation);
  const aggDefs = all.filter((n) => n.aggregation);
  const lineIndex = new Map(lineDefs.map((n, i) => [n.name, i]));
  const aggIndex = new Map(aggDefs.map((n, i) => [n.name, i]));

  // Which line nodes may stream: their whole output is a flow output and nothing else reads them.
  const readByNodes = new Set<string>();
  for (const node of all) for (const name of referencedNodes(node)) readByNodes.add(name);
  const streamable = new Set<string>();
  for (const output of Object.values(flow.outputs)) {
    const ref = safeParse(output.reference);
    if (ref?.kind === "node" && ref.path.length === 0) streamable.add(ref.node);
  }
  for (const output of Object.values(flow.outputs)) {
    const ref = safeParse(output.reference);
    if (ref?.kind === "node" && ref.path.length > 0) streamable.delete(ref.node);
  }
  // A flex flow's one node is its entry: its fields are the outputs, and generator fields stream.
  if (flow.extra["flex"]) for (const node of lineDefs) streamable.add(node.name);

  const lineBind = (ref: Reference, text: string): Getter<ExecState> => {
    if (ref.kind === "inputs") {
      const read = compilePath(ref.path, `flow input '${ref.name}'`);
      const name = ref.name;
      return ref.path.length === 0 ? (s) => s.inputs[name] : (s) => read(s.inputs[name]);
    }
    const index = lineIndex.get(ref.node);
    if (index === undefined) return unknownNode(ref.node, text);
    const read = compilePath(ref.path, `node '${ref.node}' output`);
    return (s) => (s.dag.status[index] === BYPASSED ? null : read(s.outputs[index]));
  };

  const aggBind = (ref: Reference, text: string): Getter<ExecState> => {
    if (ref.kind === "inputs") {
      const read = compilePath(ref.path, `flow input '${ref.name}'`);
      const name = ref.name;
      return (s) => (s.lines ?? []).map((line) => read(line.inputs[name]));
    }
    const own = aggIndex.get(ref.node);
    if (own !== undefined) {
      const read = compilePath(ref.path, `node '${ref.node}' output`);
      return (s) => (s.dag.status[own] === BYPASSED ? null : read(s.outputs[own]));
    }
    if (!lineIndex.has(ref.node)) return unknownNode(ref.node, text);
    const read = compilePath(ref.path, `node '${ref.node}' output`);
    const name = ref.node;
    return (s) => (s.lines ?? []).map((line) => lineNodeValue(line, name, read));
  };

  const outputs = Object.entries(flow.outputs).map(([name, output]) => {
    const getter = compileValue(output.reference, lineBind);
    return [name, getter] as const;
  });

  const line = await planNodes(flow, lineDefs, lineIndex, lineBind, streamable, readByNodes, options);
  const aggregation = await planNodes(flow, aggDefs, aggIndex, aggBind, new Set(), readByNodes, options);
  const dictOutputs = flow.extra["flex"] !== undefined || flow.extra["dict_outputs"] === true;
  return { line, aggregation, outputs, ...(dictOutputs ? { flexOutputs: entryOutputs } : {}) };
}

function entryOutputs(state: ExecState): Record<string, unknown> {
  const value = state.outputs[0];
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !isAsyncIterable(value))
    return { ...(value as Record<string, unknown>) };
  return { output: value };
}

function isAsyncIterable(value: object): boolean {
  return Symbol.asyncIterator in value;
}

function lineNodeValue(line: AggregationLine, node: string, read: (v: unknown) => unknown): unknown {
  const record = line.result?.nodes[node];
  if (record?.status !== "Completed") return null;
  return read(record.output);
}

function unknownNode(node: string, text: string): Getter<ExecState> {
  throw new UserError("NodeReferenceNotFound", `Reference '${text}' names no node '${node}' of this flow.`, {
    node,
  });
}

function safeParse(value: unknown): Reference | undefined {
  try {
    return parseReference(value);
  } catch {
    return undefined;
  }
}

function referencedNodes(node: NodeDefinition): string[] {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      const ref = safeParse(v);
      if (ref?.kind === "node") found.push(ref.node);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(node.inputs);
  if (node.activate) visit(node.activate.when);
  return found;
}

async function planNodes(
  flow: FlowDefinition,
  defs: NodeDefinition[],
  index: Map<string, number>,
  bind: (ref: Reference, text: string) => Getter<ExecState>,
  streamable: Set<string>,
  readByNodes: Set<string>,
  options: PlanOptions,
): Promise<Plan> {
  const dependencies: number[][] = [];
  const nodes = await Promise.all(
    defs.map(async (definition, i): Promise<PlannedNode> => {
      const deps = new Set<number>();
      for (const name of referencedNodes(definition)) {
        const j = index.get(name);
        if (j !== undefined) deps.add(j);
      }
      dependencies[i] = [...deps];
      const inputNodes: number[] = [];
      const promptInputs: [string, number][] = [];
      const nodeInputs: [string, number][] = [];
      const inputs = Object.entries(definition.inputs ?? {}).map(([name, value]) => {
        const ref = safeParse(value);
        if (ref?.kind === "node") {
          const j = index.get(ref.node);
          if (j !== undefined) {
            inputNodes.push(j);
            nodeInputs.push([name, j]);
            if (ref.path.length === 0 && defs[j]!.type === "prompt") promptInputs.push([name, j]);
          }
        }
        return [name, compileValue(value, bind)] as const;
      });
      let activate: PlannedNode["activate"];
      let activateNode: number | undefined;
      if (definition.activate) {
        const ref = safeParse(definition.activate.when);
        if (ref?.kind === "node") activateNode = index.get(ref.node);
        activate = { when: compileValue(definition.activate.when, bind), is: definition.activate.is };
      }
      const runner = await createNodeRunner({
        node: definition,
        flow,
        models: options.models,
        loadCode: options.loadCode,
        ...(options.python ? { python: options.python } : {}),
        ...(options.connections ? { connections: options.connections } : {}),
        ...(options.init ? { init: options.init } : {}),
        ...(options.environmentVariables ? { environmentVariables: options.environmentVariables } : {}),
        ...(options.runPrompty ? { runPrompty: options.runPrompty } : {}),
        imageRoots: options.imageRoots ?? [],
      });
      return {
        index: i,
        name: definition.name,
        definition,
        inputs,
        ...(activate ? { activate } : {}),
        bypass: { hasActivate: activate !== undefined, activateNode, inputNodes },
        promptInputs,
        nodeInputs,
        streamable: streamable.has(definition.name) && !readByNodes.has(definition.name),
        runner,
      };
    }),
  );
  return { nodes, shape: dagShape(dependencies), byName: new Map(nodes.map((n) => [n.name, n])) };
}
