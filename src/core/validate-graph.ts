import { findCycles } from "./find-cycles.js";
import { nodeDependencies } from "./node-dependencies.js";
import { isReference, parseReference } from "./parse-reference.js";
import type { ValidationContext } from "./validation-context.js";

/**
 * Checks how nodes hang together, as promptflow's flow validator does: no dependency cycles (naming the
 * cycle), a well-formed `activate: {when, is}`, and the aggregation rules: a per-line node may not use
 * an aggregation node's output (not even in `activate.when`), an aggregation node may only be activated
 * by another aggregation node's output, and flow outputs may not read aggregation nodes.
 */
export function validateGraph(context: ValidationContext): void {
  const { definition, report } = context;
  const names = new Set(definition.nodes.map((node) => node.name));
  const aggregationNodes = new Set(context.bodies.filter((b) => b.node.aggregation).map((b) => b.name));

  const graph = new Map<string, Set<string>>();
  for (const body of context.bodies) {
    const dependencies = graph.get(body.name) ?? new Set<string>();
    for (const dependency of nodeDependencies(body.node))
      if (names.has(dependency)) dependencies.add(dependency);
    graph.set(body.name, dependencies);
  }
  for (const cycle of findCycles(graph)) {
    const first = context.bodies.find((body) => body.name === cycle[0]);
    report(
      {
        code: "NodeCycle",
        node: cycle[0],
        message: `nodes depend on each other in a cycle: ${cycle.join(" -> ")} (each arrow reads "uses the output of", through inputs or activate.when). Remove one of these references so the nodes can run in order.`,
      },
      first?.at,
      first,
    );
  }

  for (const body of context.bodies) {
    const activate = body.node.activate;
    if (activate) {
      // promptflow takes a literal `when` (`when: dummy`, `is: dummy`) as a constant condition; text
      // mixing a reference with more (`${inputs.x} > 0`) is an expression it would not evaluate either.
      const literal =
        activate.when !== undefined &&
        activate.when !== null &&
        !(typeof activate.when === "string" && activate.when.includes("${"));
      if (!isReference(activate.when) && !literal) {
        report(
          {
            code: "InvalidActivateConfig",
            node: body.name,
            field: "activate.when",
            message: `${body.label}activate.when is ${activate.when === undefined || activate.when === null ? "missing" : `'${String(activate.when)}'`}, but it must be a single reference such as \${NODE.output} or \${inputs.NAME} (expressions are not evaluated): compute the condition in a node and reference its output, and put the value to compare with in 'is'.`,
          },
          [...body.at, "activate"],
          body,
        );
      }
      if (activate.is === undefined) {
        report(
          {
            code: "InvalidActivateConfig",
            node: body.name,
            field: "activate.is",
            message: `${body.label}activate has no 'is': add the value that activate.when must equal for the node to run (for example 'is: true').`,
          },
          [...body.at, "activate"],
          body,
        );
      }
      if (body.node.aggregation && isReference(activate.when)) {
        const whenNode = referencedNode(activate.when);
        if (whenNode === undefined || !aggregationNodes.has(whenNode)) {
          report(
            {
              code: "AggregationActivate",
              node: body.name,
              field: "activate.when",
              message: `${body.label}is an aggregation node activated by '${activate.when}', which is not an aggregation node's output: aggregation nodes run once over all lines, so they can only be activated by another aggregation node's output. Move the condition into an aggregation node or remove 'activate'.`,
            },
            [...body.at, "activate", "when"],
            body,
          );
        }
      }
    }

    if (!body.node.aggregation) {
      for (const [input, value] of Object.entries(body.node.inputs)) {
        for (const dependency of nodeDependencies({ inputs: { [input]: value } })) {
          if (!aggregationNodes.has(dependency)) continue;
          report(
            {
              code: "AggregationReference",
              node: body.name,
              field: `inputs.${input}`,
              message: `${body.label}input '${input}' uses the output of aggregation node '${dependency}', but '${body.name}' is not an aggregation node: aggregation nodes run once after all lines, so per-line nodes cannot read them. Mark '${body.name}' 'aggregation: true' or remove the reference.`,
            },
            [...body.at, "inputs", input],
            body,
          );
        }
      }
      const whenNode = activate ? referencedNode(activate.when) : undefined;
      if (whenNode !== undefined && aggregationNodes.has(whenNode)) {
        report(
          {
            code: "AggregationReference",
            node: body.name,
            field: "activate.when",
            message: `${body.label}activate.when uses the output of aggregation node '${whenNode}', but '${body.name}' is not an aggregation node: per-line nodes cannot wait for aggregation nodes. Mark '${body.name}' 'aggregation: true' or activate it on a per-line value.`,
          },
          [...body.at, "activate", "when"],
          body,
        );
      }
    }
  }

  for (const [name, output] of Object.entries(definition.outputs)) {
    const node = referencedNode(output.reference);
    if (node === undefined || !aggregationNodes.has(node)) continue;
    report(
      {
        code: "OutputReferencesAggregation",
        field: `outputs.${name}.reference`,
        message: `flow output '${name}' reads aggregation node '${node}', but flow outputs are per line and aggregation nodes run once over all lines (their results are the run's metrics): reference a per-line node instead, or remove this output.`,
      },
      ["outputs", name, "reference"],
    );
  }
}

function referencedNode(value: unknown): string | undefined {
  try {
    const reference = parseReference(value);
    return reference?.kind === "node" ? reference.node : undefined;
  } catch {
    return undefined;
  }
}
