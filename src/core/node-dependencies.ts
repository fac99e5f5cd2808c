import type { NodeDefinition } from "./flow-definition.js";
import { parseReference } from "./parse-reference.js";

/**
 * The names of the nodes a node depends on: every `${node.output...}` in its inputs (also nested in
 * lists and objects) and in its `activate.when`. Malformed references are skipped here; validation
 * reports them.
 */
export function nodeDependencies(node: Pick<NodeDefinition, "inputs" | "activate">): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      try {
        const ref = parseReference(value);
        if (ref?.kind === "node") found.add(ref.node);
      } catch {
        // malformed: reported by validation
      }
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === "object") {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(node.inputs);
  if (node.activate) visit(node.activate.when);
  return found;
}
