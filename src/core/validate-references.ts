import type { FlowDefinition } from "./flow-definition.js";
import type { YamlPath } from "./flow-source-map.js";
import { isReference, parseReference } from "./parse-reference.js";
import { didYouMean, listNames } from "./suggest-name.js";
import type { ValidationContext } from "./validation-context.js";

/**
 * Checks every `${...}` in node inputs (also inside lists and mappings), in `activate.when` and in flow
 * outputs: it must be well formed, name a flow input that exists or a node that exists, and be the
 * whole value (promptflow does not substitute references inside longer text).
 */
export function validateReferences(context: ValidationContext): void {
  const { definition, report } = context;
  const nodeNames = new Set(definition.nodes.map((node) => node.name).filter((name) => name !== ""));

  for (const body of context.bodies) {
    const where = (field: string) => `${body.label}input '${field}'`;
    visitValues(body.node.inputs, ["inputs"], (value, yamlPath) => {
      const field = yamlPath.slice(1).join(".");
      const problem = referenceProblem(value, definition, nodeNames);
      if (problem) {
        report(
          {
            code: problem.code,
            node: body.name,
            field: `inputs.${field}`,
            message: `${where(field)} ${problem.message}`,
          },
          [...body.at, ...yamlPath],
          body,
        );
      }
    });
    if (body.node.activate && isReference(body.node.activate.when)) {
      const problem = referenceProblem(body.node.activate.when, definition, nodeNames);
      if (problem) {
        report(
          {
            code: problem.code,
            node: body.name,
            field: "activate.when",
            message: `${body.label}activate.when ${problem.message}`,
          },
          [...body.at, "activate", "when"],
          body,
        );
      }
    }
  }

  for (const [name, output] of Object.entries(definition.outputs)) {
    if (output.reference.trim() === "") continue; // reported with the outputs
    const at = ["outputs", name, "reference"];
    if (!isReference(output.reference)) {
      report(
        {
          code: "OutputReferenceInvalid",
          field: `outputs.${name}.reference`,
          message: `flow output '${name}' has reference '${output.reference}', which is not a \${...} reference: write \${NODE.output}, \${NODE.output.FIELD} or \${inputs.NAME}.`,
        },
        at,
      );
      continue;
    }
    const problem = referenceProblem(output.reference, definition, nodeNames);
    if (problem) {
      report(
        {
          code: problem.code,
          field: `outputs.${name}.reference`,
          message: `flow output '${name}' ${problem.message}`,
        },
        at,
      );
    }
  }
}

/** What is wrong with a value used as a node input, phrased to follow "input 'x' ...", or undefined. */
function referenceProblem(
  value: string,
  definition: FlowDefinition,
  nodeNames: ReadonlySet<string>,
): { code: string; message: string } | undefined {
  if (!isReference(value)) {
    if (/\$\{[^}]*\}/.test(value)) {
      return {
        code: "EmbeddedReference",
        message: `is '${value}', which contains a \${...} reference inside other text; references are only resolved when they are the whole value: pass the reference as its own input and combine the text in the prompt or the node's code.`,
      };
    }
    return undefined;
  }
  let reference: ReturnType<typeof parseReference>;
  try {
    reference = parseReference(value);
  } catch (error) {
    return { code: "MalformedReference", message: `has an invalid reference: ${(error as Error).message}.` };
  }
  if (!reference) return undefined;
  if (reference.kind === "inputs") {
    if (reference.name in definition.inputs) return undefined;
    const inputs = Object.keys(definition.inputs);
    return {
      code: "UnknownInputReference",
      message: `references flow input '${reference.name}', which the flow does not declare.${didYouMean(reference.name, inputs)} Flow inputs are: ${listNames(inputs)}. Declare it under 'inputs:' or fix the name.`,
    };
  }
  if (nodeNames.has(reference.node)) return undefined;
  return {
    code: "UnknownNodeReference",
    message: `references unknown node '${reference.node}'.${didYouMean(reference.node, nodeNames)} Nodes are: ${listNames(nodeNames)}.`,
  };
}

/** Calls `visit` for each string in a value, with its path (lists and mappings are walked). */
function visitValues(value: unknown, at: YamlPath, visit: (value: string, at: YamlPath) => void): void {
  if (typeof value === "string") visit(value, at);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) visitValues(item, [...at, i], visit);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) visitValues(item, [...at, key], visit);
  }
}
