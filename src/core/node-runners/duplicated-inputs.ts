import { UserError } from "../errors.js";
import type { NodeDefinition } from "../flow-definition.js";
import type { PromptTemplate } from "../render-prompt.js";
import { templateVariables } from "../template-variables.js";

/** The prompt tool's own parameter: a template reading `{{template}}` would shadow it. */
export const PROMPT_TOOL_PARAMETERS = ["template"];

/** promptflow's llm tool parameters (AzureOpenAI/OpenAI chat and completion), which a template cannot read. */
export const LLM_TOOL_PARAMETERS: Record<"chat" | "completion", string[]> = {
  chat: [
    "prompt",
    "deployment_name",
    "model",
    "temperature",
    "top_p",
    "n",
    "stream",
    "stop",
    "max_tokens",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "user",
    "function_call",
    "functions",
    "response_format",
    "tools",
    "tool_choice",
    "seed",
  ],
  completion: [
    "prompt",
    "deployment_name",
    "model",
    "suffix",
    "max_tokens",
    "temperature",
    "top_p",
    "n",
    "stream",
    "logprobs",
    "echo",
    "stop",
    "presence_penalty",
    "frequency_penalty",
    "best_of",
    "logit_bias",
    "user",
  ],
};

/**
 * promptflow refuses a prompt or llm node whose template reads a variable named like one of the tool's
 * own parameters (`{{template}}` in a prompt node, `{{prompt}}` in an llm node): the node's input of that
 * name would be the tool's parameter, never the template's. flowops refuses it too, when the node loads.
 */
export function assertNoDuplicatedInputs(
  node: NodeDefinition,
  template: PromptTemplate,
  reserved: readonly string[],
  owner: string,
): void {
  let variables: Set<string>;
  try {
    variables = templateVariables(template.source);
  } catch {
    return; // a syntax error is reported when the template compiles
  }
  const duplicated = reserved.filter((name) => variables.has(name));
  if (duplicated.length === 0) return;
  const names = duplicated.map((name) => `'${name}'`).join(", ");
  throw new UserError(
    "DuplicatedTemplateInputs",
    `Invalid inputs {${names}} in prompt template of node ${node.name}: these inputs are duplicated with the parameters of ${owner}. Rename ${duplicated.length > 1 ? "these variables" : "this variable"} in ${template.name} (and the node's input of that name).`,
    { node: node.name, field: "source.path" },
  );
}
