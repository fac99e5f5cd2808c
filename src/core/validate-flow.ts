import type { Diagnostic } from "./errors.js";
import type { FlowDefinition } from "./flow-definition.js";
import { validateGraph } from "./validate-graph.js";
import { validateInputsAndOutputs } from "./validate-inputs-outputs.js";
import { validateNodeBodies } from "./validate-node-bodies.js";
import { validateNodeNames } from "./validate-node-names.js";
import { validateReferences } from "./validate-references.js";
import { createValidationContext, type ValidationOptions } from "./validation-context.js";

export type { ValidationOptions } from "./validation-context.js";

/**
 * Checks everything about a flow that can be checked without calling a model, and returns every
 * problem found (an empty list means the flow is valid): flow inputs and outputs, node names and
 * variants, node types, source files, llm settings and connections, references, cycles, activate
 * conditions and aggregation rules. Each diagnostic names the node or field, says what is wrong and how
 * to fix it, and carries the file and line when the definition was read from YAML.
 */
export function validateFlow(definition: FlowDefinition, options: ValidationOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const context = createValidationContext(definition, options, diagnostics);
  validateInputsAndOutputs(context);
  validateNodeNames(context);
  validateNodeBodies(context);
  validateReferences(context);
  validateGraph(context);
  return diagnostics.sort(
    (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
  );
}
