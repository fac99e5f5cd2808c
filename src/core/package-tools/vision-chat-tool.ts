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
 * `image` are images, and the image objects inside a list or object flow input (a chat input such as
 * `["How many colors?", {"data:image/png;url": U}]`, a chat history's turns): each is resolved under the
 * engine's image policy (image-input.ts: data URLs and public http(s) URLs; files only inside
 * ExecutorOptions.imageRoots), and the template's `![image]({{ that_input }})` (or the list, printed one
 * item per line) becomes `image_url` parts. Any other value — an image-shaped object a node returns,
 * Markdown image syntax in a text input or a node's output — stays text.
 */
export async function createVisionChatToolRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const { node, flow, models } = setup;
  const template = await loadPromptTemplate(node, flow.directory);
  // Node input → the default its flow input declares (a path the flow author chose may be read).
  const imageInputs = new Map<string, unknown>();
  // Node input → the default of its list/object flow input (a chat input or history holding images).
  const listInputs = new Map<string, unknown>();
  for (const [name, value] of Object.entries(node.inputs)) {
    const ref = typeof value === "string" ? safeReference(value) : undefined;
    const input = ref?.kind === "inputs" && ref.path.length === 0 ? flow.inputs[ref.name] : undefined;
    if (input?.type === "image") imageInputs.set(name, input.default);
    else if (input?.type === "list" || input?.type === "object") listInputs.set(name, input.default);
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
    for (const [name, fallback] of listInputs) {
      if (!(name in variables)) continue;
      const value = variables[name];
      const imageRoots =
        fallback !== undefined && isDeepStrictEqual(value, fallback) ? [flow.directory, ...roots] : roots;
      variables[name] = await embedListImages(value, async (image) =>
        images.register(await resolveImageInput(image, imageRoots, node.name)),
      );
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

const IMAGE_KEY = /^data:image\/[\w.+-]{1,64};(path|url|base64)$/;

function isImageObject(value: unknown): value is Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length === 1 && IMAGE_KEY.test(entries[0]![0]) && typeof entries[0]![1] === "string";
}

/**
 * promptflow's chat inputs as lists of text and images (`["How many colors?", {"data:image/png;url": U}]`,
 * also inside a chat history's turns): a list holding images renders as its items one per line, each
 * image as `![image](TOKEN)`, so it becomes an `image_url` part. Lists without images are left as they are.
 */
async function embedListImages(
  value: unknown,
  register: (image: unknown) => Promise<string>,
): Promise<unknown> {
  if (Array.isArray(value)) {
    if (!value.some(isImageObject)) return Promise.all(value.map((item) => embedListImages(item, register)));
    const lines: string[] = [];
    for (const item of value)
      lines.push(
        isImageObject(item)
          ? `![image](${await register(item)})`
          : typeof item === "string"
            ? item
            : JSON.stringify(item),
      );
    return lines.join("\n");
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await embedListImages(item, register);
    return out;
  }
  return value;
}

function safeReference(value: string) {
  try {
    return parseReference(value);
  } catch {
    return undefined;
  }
}
