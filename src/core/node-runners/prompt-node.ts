import { assertNoDuplicatedInputs, PROMPT_TOOL_PARAMETERS } from "./duplicated-inputs.js";
import type { NodeRunner, RunnerSetup } from "./node-runner.js";
import { PromptResult } from "./node-runner.js";
import { loadPromptTemplate } from "./prompt-template-file.js";

/**
 * A node's template variables for a chat render: inputs fed by a prompt node get that node's escaped
 * text, which is trusted (its role markers come from that node's template; its values were escaped).
 */
export function chatVariables(
  inputs: Record<string, unknown>,
  promptResults: Record<string, PromptResult> | undefined,
): { variables: Record<string, unknown>; trusted: Set<string> } {
  const trusted = new Set<string>();
  if (!promptResults) return { variables: inputs, trusted };
  const variables: Record<string, unknown> = { ...inputs };
  for (const name in promptResults) {
    const escaped = promptResults[name]!.escaped;
    variables[name] = escaped;
    trusted.add(escaped);
    trusted.add(escaped.trim());
  }
  return { variables, trusted };
}

/**
 * `type: prompt`: renders the Jinja2 template with the node's inputs; the output is the text. The
 * values are escaped as for a chat prompt, so an llm node that renders this text as a chat keeps the
 * guard (PromptResult); every other consumer gets the plain text.
 */
export async function createPromptRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const template = await loadPromptTemplate(setup.node, setup.flow.directory);
  assertNoDuplicatedInputs(setup.node, template, PROMPT_TOOL_PARAMETERS, "the prompt tool");
  return (call) => {
    const { variables, trusted } = chatVariables(call.inputs, call.promptResults);
    return PromptResult.of(template.renderChat(variables, trusted));
  };
}
