import { UserError } from "./errors.js";
import type { FlowDefinition, NodeDefinition } from "./flow-definition.js";

/**
 * promptflow's `--connections node.connection=NAME node.deployment_name=X`: per node, `connection`
 * replaces the node's connection (for a python node, its `connection` input, as promptflow does: a
 * python tool takes its connection as a parameter) and any other key replaces (or adds) one of its inputs.
 */
export type NodeOverrides = Record<string, Record<string, string>>;

/** `node.key=value` pairs (as `--connections` gives them) grouped by node. */
export function parseNodeOverrides(pairs: Record<string, string>, option = "--connections"): NodeOverrides {
  const overrides: NodeOverrides = {};
  for (const [key, value] of Object.entries(pairs)) {
    const dot = key.indexOf(".");
    if (dot <= 0 || dot === key.length - 1)
      throw new UserError(
        "InvalidArgument",
        `${option} '${key}=${value}': write NODE.connection=NAME or NODE.INPUT=VALUE (e.g. classify.deployment_name=gpt-4o).`,
        { field: option },
      );
    const node = key.slice(0, dot);
    overrides[node] = { ...overrides[node], [key.slice(dot + 1)]: value };
  }
  return overrides;
}

/**
 * A copy of the definition with the overrides applied to each named node (to every variant of a
 * `use_variants` node). A node that does not exist is a UserError naming the nodes there are.
 */
export function applyNodeOverrides(
  definition: FlowDefinition,
  overrides: NodeOverrides,
  option = "--connections",
): FlowDefinition {
  const names = new Set(definition.nodes.map((node) => node.name));
  const unknown = Object.keys(overrides).filter((name) => !names.has(name));
  if (unknown.length > 0)
    throw new UserError(
      "UnknownNode",
      `${option}: the flow ${definition.file} has no node ${unknown.map((n) => `'${n}'`).join(", ")}; its nodes are ${[...names].join(", ")}.`,
      { field: option, location: { file: definition.file }, node: unknown[0]! },
    );
  if (Object.keys(overrides).length === 0) return definition;
  const nodes = definition.nodes.map((node) => {
    const change = overrides[node.name];
    return change && !node.use_variants ? override(node, change) : node;
  });
  const nodeVariants = Object.fromEntries(
    Object.entries(definition.node_variants).map(([name, entry]) => {
      const change = overrides[name];
      if (!change) return [name, entry];
      const variants = Object.fromEntries(
        Object.entries(entry.variants).map(([id, variant]) => [id, { node: override(variant.node, change) }]),
      );
      return [name, { ...entry, variants }];
    }),
  );
  return { ...definition, nodes, node_variants: nodeVariants };
}

function override<N extends Omit<NodeDefinition, "name">>(node: N, change: Record<string, string>): N {
  const { connection, ...inputs } = change;
  if (node.type === "python") return { ...node, inputs: { ...node.inputs, ...change } };
  return {
    ...node,
    ...(connection !== undefined ? { connection } : {}),
    inputs: { ...node.inputs, ...inputs },
  };
}
