import { UserError } from "../errors.js";
import { splitLlmInputs } from "../node-runners/llm-parameters.js";
import type { NodeRunner, RunnerSetup } from "../node-runners/node-runner.js";
import { chatVariables } from "../node-runners/prompt-node.js";
import { loadPromptTemplate } from "../node-runners/prompt-template-file.js";
import { parseChatPrompt } from "../parse-chat-prompt.js";
import { parseReference } from "../parse-reference.js";
import { connectionName } from "./embedding-tool.js";
import { isImageValue, resolveImageUrl } from "./resolve-image.js";
import { splitImageParts } from "./split-image-parts.js";

/**
 * `promptflow.tools.aoai_gpt4v.AzureOpenAI.chat` / `promptflow.tools.openai_gpt4v.OpenAI.chat`: renders
 * the node's prompt (its `source.path`) like an llm chat node, with image inputs (flow inputs of type
 * `image`, promptflow image objects, `data:image/...;base64` strings) turned into URLs, then sends each
 * `![image](URL)` of a user message as an `image_url` part.
 */
export async function createVisionChatToolRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const { node, flow, models } = setup;
  const template = await loadPromptTemplate(node, flow.directory);
  const imageInputs = new Set<string>();
  for (const [name, value] of Object.entries(node.inputs)) {
    const ref = typeof value === "string" ? safeReference(value) : undefined;
    if (ref?.kind === "inputs" && ref.path.length === 0 && flow.inputs[ref.name]?.type === "image")
      imageInputs.add(name);
  }
  const provider = node.source.tool?.includes("openai_gpt4v") ? "OpenAI" : "AzureOpenAI";
  return async (call) => {
    const { connection: named, ...rest } = call.inputs;
    const connection = connectionName(node.name, named ?? node.connection);
    const { model, parameters, variables } = splitLlmInputs(node.name, rest);
    if (model === undefined) {
      throw new UserError(
        "ModelNotSpecified",
        `Node '${node.name}' names no model: add a 'deployment_name' (Azure OpenAI) or 'model' input.`,
        { node: node.name, field: "inputs.deployment_name" },
      );
    }
    for (const name of Object.keys(variables)) {
      const value = variables[name];
      if (imageInputs.has(name) || isImageValue(value))
        variables[name] = await resolveImageUrl(value, flow.directory, node.name);
      else if (Array.isArray(value) && value.length > 0 && value.every(isImageValue))
        variables[name] = await Promise.all(value.map((v) => resolveImageUrl(v, flow.directory, node.name)));
    }
    const chat = chatVariables(variables, call.promptResults);
    const messages = splitImageParts(parseChatPrompt(template.renderChat(chat.variables, chat.trusted)));
    const response = await models.invoke(
      {
        api: "chat",
        connection,
        model,
        parameters,
        messages,
        node: node.name,
        provider: node.provider ?? provider,
      },
      { signal: call.context.signal },
    );
    call.reportUsage(response.usage);
    if (typeof response.text === "string") return response.text;
    return typeof response.message?.content === "string" ? response.message.content : "";
  };
}

function safeReference(value: string) {
  try {
    return parseReference(value);
  } catch {
    return undefined;
  }
}
