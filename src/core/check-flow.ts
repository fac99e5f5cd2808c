import { applyNodeOverrides, type NodeOverrides } from "./apply-node-overrides.js";
import { type Diagnostic, FlowValidationError } from "./errors.js";
import type { FlowDefinition } from "./flow-definition.js";
import { readFlowDefinition } from "./read-flow-definition.js";
import { type ValidationOptions, validateFlow } from "./validate-flow.js";

export interface CheckFlowOptions extends ValidationOptions {
  /** `--connections node.connection=NAME node.deployment_name=X`, applied before validation. */
  overrides?: NodeOverrides;
  /** Where a prompty's `${env:VAR}` values come from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface FlowCheck {
  /** The definition, when the YAML could be read (even if it has semantic problems). */
  definition?: FlowDefinition;
  /** Every problem found; empty when the flow is valid. */
  diagnostics: Diagnostic[];
}

/**
 * Reads and validates a flow (a folder with flow.dag.yaml, or the YAML file). Never throws for
 * problems in the flow: they come back as diagnostics. What `flowops flow validate` prints.
 */
export async function checkFlow(source: string, options: CheckFlowOptions = {}): Promise<FlowCheck> {
  let definition: FlowDefinition;
  try {
    definition = await readFlowDefinition(source, options.env ? { env: options.env } : {});
  } catch (error) {
    if (error instanceof FlowValidationError) return { diagnostics: error.diagnostics };
    throw error;
  }
  if (options.overrides) definition = applyNodeOverrides(definition, options.overrides);
  return { definition, diagnostics: validateFlow(definition, options) };
}

/**
 * Reads and validates a flow, and returns a definition the executor can trust. Throws a
 * FlowValidationError listing every problem when there is any.
 */
export async function loadFlowDefinition(
  source: string,
  options: CheckFlowOptions = {},
): Promise<FlowDefinition> {
  const { definition, diagnostics } = await checkFlow(source, options);
  if (diagnostics.length > 0 || !definition) throw new FlowValidationError(diagnostics);
  return definition;
}
