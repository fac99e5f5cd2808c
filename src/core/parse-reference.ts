import type { Reference } from "./flow-definition.js";

const REFERENCE = /^\$\{([^}]*)\}$/;

/**
 * Parses a promptflow reference: `${inputs.x}`, `${inputs.x.a}`, `${node.output}`, `${node.output.a.b}`.
 * Returns undefined when the value is not a reference at all (a literal). Throws a plain Error with a
 * human message when it looks like a reference but is malformed; validation turns that into a diagnostic.
 */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const match = REFERENCE.exec(value.trim());
  if (!match) return undefined;
  const parts = match[1]!.trim().split(".");
  if (parts.some((p) => p.length === 0)) {
    throw new Error(`malformed reference '${value}': expected \${inputs.NAME} or \${NODE.output}`);
  }
  const [head, ...rest] = parts;
  if (head === "inputs") {
    const [name, ...path] = rest;
    if (!name) throw new Error(`reference '${value}' names no input: write \${inputs.NAME}`);
    return { kind: "inputs", name, path };
  }
  const [output, ...path] = rest;
  if (output !== "output") {
    throw new Error(`reference '${value}' must read a node's output: write \${${head}.output}`);
  }
  return { kind: "node", node: head!, path };
}

/** Whether a value is written as a `${...}` reference. */
export function isReference(value: unknown): value is string {
  return typeof value === "string" && REFERENCE.test(value.trim());
}
