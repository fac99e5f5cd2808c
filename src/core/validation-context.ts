import type { Diagnostic } from "./errors.js";
import type { FlowDefinition, NodeDefinition } from "./flow-definition.js";
import { locateInFlow, type YamlPath } from "./flow-source-map.js";
import type { ConnectionCatalog } from "./model-port.js";

/**
 * One node body to check: a plain node, or one variant of a `use_variants` node. `label` names it in
 * messages ("" for a plain node, "variant 'variant_1': " for a variant) and `at` is where it sits in the
 * YAML, so a field's line can be found.
 */
export interface NodeBody {
  name: string;
  node: Omit<NodeDefinition, "name">;
  label: string;
  at: YamlPath;
}

export interface ValidationOptions {
  /** When given, each node's connection must exist here and have a type that fits the node. */
  connections?: ConnectionCatalog;
  /**
   * A python runtime will run the flow: package tools flowops does not implement are looked up in the
   * installed python packages' `package_tools` entry points when the node runs (an error naming the
   * package to install if none provides it), instead of being refused here.
   */
  pythonPackageTools?: boolean;
}

/** What each check needs: the definition, the options, and a way to report a diagnostic. */
export interface ValidationContext {
  definition: FlowDefinition;
  options: ValidationOptions;
  /** Every node body to check: plain nodes, and each variant in place of a `use_variants` node. */
  bodies: NodeBody[];
  /**
   * Reports a problem. `at` is where it is in the YAML (its line is looked up); `body` is the node it
   * concerns, whose position is used when the YAML path cannot be located.
   */
  report(diagnostic: Omit<Diagnostic, "file" | "line" | "column">, at?: YamlPath, body?: NodeBody): void;
}

export function createValidationContext(
  definition: FlowDefinition,
  options: ValidationOptions,
  diagnostics: Diagnostic[],
): ValidationContext {
  const bodies: NodeBody[] = [];
  definition.nodes.forEach((node, index) => {
    const variants = node.use_variants ? definition.node_variants[node.name]?.variants : undefined;
    if (!variants) {
      bodies.push({ name: node.name, node, label: "", at: ["nodes", index] });
      return;
    }
    for (const [id, variant] of Object.entries(variants)) {
      bodies.push({
        name: node.name,
        node: variant.node,
        label: `variant '${id}': `,
        at: ["node_variants", node.name, "variants", id, "node"],
      });
    }
  });

  return {
    definition,
    options,
    bodies,
    report(diagnostic, at, body) {
      const position = (at && locateInFlow(definition, at)) ?? body?.node.position;
      diagnostics.push({
        ...diagnostic,
        file: definition.file,
        ...(position ? { line: position.line, column: position.column } : {}),
      });
    },
  };
}
