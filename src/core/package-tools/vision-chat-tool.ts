import { isDeepStrictEqual } from "node:util";
import { UserError } from "../errors.js";
import { resolveImageInput } from "../image-input.js";
import { splitLlmInputs } from "../node-runners/llm-parameters.js";
import type { NodeRunner, RunnerSetup } from "../node-runners/node-runner.js";
import { chatVariables } from "../node-runners/prompt-node.js";
import { loadPromptTemplate } from "../node-runners/prompt-template-file.js";
import { parseChatPrompt } from "../parse-chat-prompt.js";
import { parseReference } from "../parse-reference.js";
import { connectionName } from "./embedding-tool.js";
import { ImageTokens } from "./split-image-parts.js";

/**
 * `promptflow.tools.aoai_gpt4v.AzureOpenAI.chat` / `promptflow.tools.openai_gpt4v.OpenAI.chat`: renders
 * the node's prompt (its `source.path`) like an llm chat node. Only inputs fed by a flow input of type
 * `image` are images: each is resolved under the engine's image policy (image-input.ts: data URLs and
 * public http(s) URLs; files only inside ExecutorOptions.imageRoots), and the template's
 * `![image]({{ that_input }})` becomes an `image_url` part. Any other value — an object shaped like an
 * image, Markdown image syntax in a text input or a node's output — stays text.
 */
export async function createVisionChatToolRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const { node, flow, models } = setup;
  const template = await loadPromptTemplate(node, flow.directory);
  // Node input → the default its flow input declares (a path the flow author chose may be read).
  const imageInputs = new Map<string, unknown>();
  for (const [name, value] of Object.entries(node.inputs)) {
    const ref = typeof value === "string" ? safeReference(value) : undefined;
    const input = ref?.kind === "inputs" && ref.path.length === 0 ? flow.inputs[ref.name] : undefined;
    if (input?.type === "image") imageInputs.set(name, input.default);
  }
  const provider = node.source.tool?.includes("openai_gpt4v") ? "OpenAI" : "AzureOpenAI";
  const roots = setup.imageRoots ?? [];
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
    const images = new ImageTokens();
    for (const [name, fallback] of imageInputs) {
      if (!(name in variables)) continue;
      const value = variables[name];
      const authored = fallback !== undefined && isDeepStrictEqual(value, fallback);
      const url = await resolveImageInput(value, authored ? [flow.directory, ...roots] : roots, node.name);
      variables[name] = images.register(url);
    }
    const chat = chatVariables(variables, call.promptResults);
    const messages = images.splitImageParts(
      parseChatPrompt(template.renderChat(chat.variables, chat.trusted)),
    );
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
