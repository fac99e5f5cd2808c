import { includeExists } from "./resolve-flow-file.js";
import { didYouMean, listNames } from "./suggest-name.js";
import type { ValidationContext } from "./validation-context.js";

/**
 * Checks node names and variants: every node has a name that a reference can use, no two nodes share
 * one, and a `use_variants: true` node has a `node_variants` entry with variants and a valid
 * `default_variant_id`. Also checks that each `additional_includes` entry exists.
 */
export function validateNodeNames(context: ValidationContext): void {
  const { definition, report } = context;
  const firstByName = new Map<string, number>();

  definition.nodes.forEach((node, index) => {
    const at = ["nodes", index];
    const body = { name: node.name, node, label: "", at };
    if (node.name.trim() === "") {
      report(
        {
          code: "NodeNameMissing",
          field: `nodes[${index}].name`,
          message: `node #${index + 1}${node.type ? ` (type ${node.type})` : ""} has no name: add 'name: SOME_NAME'; other nodes and outputs refer to it as \${SOME_NAME.output}.`,
        },
        at,
        body,
      );
      return;
    }
    const badCharacters = /[.\s${}]/.test(node.name);
    if (badCharacters || node.name === "inputs") {
      report(
        {
          code: "NodeNameInvalid",
          node: node.name,
          field: "name",
          message: badCharacters
            ? `the name '${node.name}' cannot be referenced as \${${node.name}.output} because it contains '.', '$', '{', '}' or spaces: use letters, digits, '_' and '-' only.`
            : `a node cannot be called 'inputs': \${inputs.X} always means a flow input. Rename the node.`,
        },
        [...at, "name"],
        body,
      );
    }
    const first = firstByName.get(node.name);
    if (first === undefined) {
      firstByName.set(node.name, index);
    } else {
      const firstLine = definition.nodes[first]?.position?.line;
      report(
        {
          code: "DuplicateNodeName",
          node: node.name,
          field: "name",
          message: `the node name '${node.name}' is used more than once (node #${first + 1}${firstLine ? ` at line ${firstLine}` : ""} and node #${index + 1}): node names must be unique, rename or remove one of them.`,
        },
        [...at, "name"],
        body,
      );
    }

    if (!node.use_variants) return;
    const variants = definition.node_variants[node.name];
    const known = Object.keys(definition.node_variants);
    if (!variants) {
      report(
        {
          code: "VariantsMissing",
          node: node.name,
          field: "use_variants",
          message: `has 'use_variants: true' but there is no 'node_variants.${node.name}' entry.${didYouMean(node.name, known)} Add node_variants.${node.name} with 'default_variant_id' and 'variants', or remove 'use_variants'.`,
        },
        [...at, "use_variants"],
        body,
      );
      return;
    }
    const ids = Object.keys(variants.variants);
    const variantsAt = ["node_variants", node.name];
    if (ids.length === 0) {
      report(
        {
          code: "VariantsMissing",
          node: node.name,
          field: `node_variants.${node.name}.variants`,
          message: `node_variants.${node.name} defines no variants: add at least one under 'variants:' (variant_0: {node: {...}}).`,
        },
        variantsAt,
        body,
      );
    } else if (variants.default_variant_id === "") {
      report(
        {
          code: "DefaultVariantMissing",
          node: node.name,
          field: `node_variants.${node.name}.default_variant_id`,
          message: `node_variants.${node.name} has no default_variant_id: set it to one of ${listNames(ids)}.`,
        },
        variantsAt,
        body,
      );
    } else if (!ids.includes(variants.default_variant_id)) {
      report(
        {
          code: "DefaultVariantUnknown",
          node: node.name,
          field: `node_variants.${node.name}.default_variant_id`,
          message: `default_variant_id is '${variants.default_variant_id}', which is not one of the variants.${didYouMean(variants.default_variant_id, ids)} Variants are: ${listNames(ids)}.`,
        },
        [...variantsAt, "default_variant_id"],
        body,
      );
    }
  });

  definition.additional_includes.forEach((include, index) => {
    if (includeExists(definition, include)) return;
    report(
      {
        code: "IncludeNotFound",
        field: `additional_includes[${index}]`,
        message: `additional include '${include}' does not exist (paths are relative to the flow folder ${definition.directory}): fix the path or remove the entry.`,
      },
      ["additional_includes", index],
    );
  });
}
