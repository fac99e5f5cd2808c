import type { FlowDefinition, NodeDefinition } from "../../core/flow-definition.js";
import { parseReference } from "../../core/parse-reference.js";
import type { FlowGraph, GraphEdge, GraphNode } from "./flow-graph-types.js";

export type { FlowGraph, GraphEdge, GraphNode } from "./flow-graph-types.js";

/**
 * The flow's DAG as the studio draws it: the flow inputs, every node (aggregation nodes marked, nodes
 * with variants listing them, activate conditions spelled out), the flow outputs, and an edge for each
 * reference between them. References inside lists and objects count; malformed ones are skipped
 * (validation reports them).
 */
export function buildFlowGraph(definition: FlowDefinition): FlowGraph {
  const nodes: GraphNode[] = [{ id: "inputs", kind: "inputs" }];
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (edge: GraphEdge) => {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
    if (!seen.has(key) && edge.from !== edge.to) {
      seen.add(key);
      edges.push(edge);
    }
  };
  for (const node of definition.nodes) {
    const variants = definition.node_variants[node.name];
    const body: Partial<NodeDefinition> =
      node.use_variants && variants ? (variants.variants[variants.default_variant_id]?.node ?? {}) : node;
    nodes.push({
      id: node.name,
      kind: "node",
      ...(body.type ? { type: body.type } : {}),
      ...(body.source?.path ? { source: body.source.path } : {}),
      ...(body.source?.tool ? { tool: body.source.tool } : {}),
      ...(node.aggregation || body.aggregation ? { aggregation: true } : {}),
      ...(node.activate ? { activate: { when: show(node.activate.when), is: show(node.activate.is) } } : {}),
      ...(variants && node.use_variants
        ? {
            variants: [
              variants.default_variant_id,
              ...Object.keys(variants.variants).filter((id) => id !== variants.default_variant_id),
            ],
            defaultVariant: variants.default_variant_id,
          }
        : {}),
      ...(node.position ? { line: node.position.line } : {}),
    });
    const inputs = node.use_variants && variants ? allVariantInputs(variants.variants) : [node.inputs];
    for (const from of referencedEnds(inputs)) addEdge({ from, to: node.name, kind: "data" });
    if (node.activate)
      for (const from of referencedEnds([node.activate.when]))
        addEdge({ from, to: node.name, kind: "activate" });
  }
  nodes.push({ id: "outputs", kind: "outputs" });
  for (const output of Object.values(definition.outputs))
    for (const from of referencedEnds([output.reference])) addEdge({ from, to: "outputs", kind: "data" });
  const known = new Set(nodes.map((node) => node.id));
  return { nodes, edges: edges.filter((edge) => known.has(edge.from) && known.has(edge.to)) };
}

function allVariantInputs(variants: Record<string, { node: Partial<NodeDefinition> }>): unknown[] {
  return Object.values(variants).map((variant) => variant.node.inputs ?? {});
}

/** `inputs` for `${inputs.x}`, the node name for `${node.output...}`. */
function referencedEnds(values: unknown[]): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      try {
        const reference = parseReference(value);
        if (reference) found.add(reference.kind === "inputs" ? "inputs" : reference.node);
      } catch {
        // malformed: validation reports it
      }
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === "object") {
      for (const item of Object.values(value)) visit(item);
    }
  };
  for (const value of values) visit(value);
  return found;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
