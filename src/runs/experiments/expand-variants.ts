import type { Diagnostic } from "../../core/errors.js";
import type { FlowDefinition } from "../../core/flow-definition.js";
import type { YamlPath } from "../../core/yaml-locator.js";
import type { ExperimentVariant } from "./load-experiment.js";

const VARIANT = /^\$\{([^.}]+)\.([^.}]+)\}$/;

/**
 * The variants an experiment runs: each `${node.variant_id}` checked against the flow's node_variants
 * (`all` is every variant of every node), or the flow's defaults when none are named. Labels are the
 * variant ids, prefixed with the node when the variants span several nodes.
 */
export function expandVariants(
  requested: "all" | string[] | undefined,
  flow: FlowDefinition,
  problem: (yamlPath: YamlPath, message: string) => Diagnostic,
  diagnostics: Diagnostic[],
): ExperimentVariant[] {
  const available = Object.entries(flow.node_variants).flatMap(([node, spec]) =>
    Object.keys(spec.variants).map((variant) => ({ node, variant })),
  );
  if (requested === undefined) return [{ id: undefined, label: "default" }];
  if (requested === "all" && available.length === 0) return [{ id: undefined, label: "default" }];
  const chosen: { node: string; variant: string }[] = [];
  if (requested === "all") {
    chosen.push(...available);
  } else {
    for (const [i, entry] of requested.entries()) {
      const match = VARIANT.exec(entry.trim());
      const found = match && available.find((a) => a.node === match[1] && a.variant === match[2]);
      if (!found) {
        const known = available.map((a) => `\${${a.node}.${a.variant}}`).join(", ");
        diagnostics.push(
          problem(
            ["variants", i],
            match
              ? `the flow has no variant '${entry}': use one of ${known || "(the flow defines no node_variants)"}.`
              : `'${entry}' is not a variant reference: write \${NODE.VARIANT_ID} (available: ${known || "none"}) or 'all'.`,
          ),
        );
        continue;
      }
      chosen.push(found);
    }
  }
  const oneNode = new Set(chosen.map((c) => c.node)).size <= 1;
  return chosen.map((c) => ({
    id: `\${${c.node}.${c.variant}}`,
    label: oneNode ? c.variant : `${c.node}.${c.variant}`,
  }));
}
