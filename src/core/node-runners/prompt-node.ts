import { collectRoleEscapes, escapeRoles, type RoleEscapes, unescapeRoles } from "../role-escape.js";
import type { NodeRunner, RunnerSetup } from "./node-runner.js";
import { PromptResult } from "./node-runner.js";
import { loadPromptTemplate } from "./prompt-template-file.js";

/** Escapes role markers in the inputs fed by flow inputs; returns the escaped inputs and the map. */
export function escapeFlowInputs(
  inputs: Record<string, unknown>,
  flowInputNames: ReadonlySet<string>,
  promptResults: Record<string, PromptResult> | undefined,
): { variables: Record<string, unknown>; escapes: RoleEscapes } {
  const escapes: RoleEscapes = new Map();
  if (promptResults)
    for (const name in promptResults) for (const e of promptResults[name]!.escapes) escapes.set(...e);
  const flowEscapes: RoleEscapes = new Map();
  for (const name of flowInputNames) if (name in inputs) collectRoleEscapes(inputs[name], flowEscapes);
  if (flowEscapes.size === 0 && escapes.size === 0) return { variables: inputs, escapes };
  const variables: Record<string, unknown> = { ...inputs };
  if (flowEscapes.size > 0) {
    for (const name of flowInputNames)
      if (name in variables) variables[name] = escapeRoles(variables[name], flowEscapes);
  }
  if (promptResults) for (const name in promptResults) variables[name] = promptResults[name]!.escaped;
  for (const e of flowEscapes) escapes.set(...e);
  return { variables, escapes };
}

/** `type: prompt`: renders the Jinja2 template with the node's inputs; the output is the text. */
export async function createPromptRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const template = await loadPromptTemplate(setup.node, setup.flow.directory);
  return (call) => {
    const { variables, escapes } = escapeFlowInputs(call.inputs, setup.flowInputNames, call.promptResults);
    if (escapes.size === 0) return template.render(variables);
    const escaped = template.render(variables);
    return new PromptResult(unescapeRoles(escaped, escapes), escaped, escapes);
  };
}
