import { UserError } from "../errors.js";
import type { ModelRequest, ModelResponse, ModelStreamChunk } from "../model-port.js";
import { parseChatPrompt } from "../parse-chat-prompt.js";
import { assertNoDuplicatedInputs, LLM_TOOL_PARAMETERS } from "./duplicated-inputs.js";
import { splitLlmInputs } from "./llm-parameters.js";
import type { NodeCall, NodeRunner, RunnerSetup } from "./node-runner.js";
import { chatVariables } from "./prompt-node.js";
import { loadPromptTemplate } from "./prompt-template-file.js";

/**
 * `type: llm`: renders the node's Jinja2 prompt with its template variables and calls the model port.
 * `api: chat` (the default) parses role markers into messages; no printed value can add or change a
 * message (role-escape.ts);
 * `completion` sends the text as `prompt`; `embedding` sends the `input` input (or the rendered text).
 * Output: the text; for chat, the assistant message when it carries tool calls; for embeddings the vector.
 * With streaming allowed, chat/completion return an AsyncIterable<string> from `models.stream`.
 */
export async function createLlmRunner(
  setup: RunnerSetup,
  settings: { response?: "first" | "all" } = {},
): Promise<NodeRunner> {
  const { node, models } = setup;
  const api = node.api ?? "chat";
  const template =
    node.source.path || api !== "embedding"
      ? await loadPromptTemplate(node, setup.flow.directory)
      : undefined;
  if (template && (api === "chat" || api === "completion") && !/\.prompty$/i.test(node.source.path ?? ""))
    assertNoDuplicatedInputs(
      node,
      template,
      LLM_TOOL_PARAMETERS[api],
      `the llm tool (${node.provider ?? "AzureOpenAI"}.${api})`,
    );
  const connection = node.connection ?? "";
  const prompty = /\.prompty$/i.test(node.source.path ?? "");

  return async (call: NodeCall) => {
    const { model, parameters, variables } = splitLlmInputs(node.name, call.inputs);
    if (model === undefined) {
      throw new UserError(
        "ModelNotSpecified",
        `Node '${node.name}' names no model: add a 'deployment_name' (Azure OpenAI) or 'model' input.`,
        { node: node.name, field: "deployment_name" },
      );
    }
    const base = {
      connection,
      model,
      parameters,
      node: node.name,
      ...(node.provider ? { provider: node.provider } : {}),
      ...(node.inline_connection ? { inlineConnection: node.inline_connection } : {}),
    };
    let request: ModelRequest;
    if (api === "chat") {
      const chat = chatVariables(variables, call.promptResults);
      const text = template!.renderChat(chat.variables, chat.trusted);
      request = { ...base, api: "chat", messages: parseChatPrompt(text) };
    } else if (api === "completion") {
      request = { ...base, api: "completion", prompt: template!.render(variables) };
    } else {
      const input = variables.input ?? template?.render(variables) ?? "";
      request = {
        ...base,
        api: "embedding",
        input: Array.isArray(input) ? input.map(String) : String(input),
      };
    }
    const options = { signal: call.context.signal };
    const all = settings.response === "all";
    if (call.stream && request.api !== "embedding" && !all)
      return streamText(models.stream(request, options), call);
    const response = await models.invoke(request, options);
    call.reportUsage(response.usage);
    return all ? wholeResponse(request, response) : outputOf(request, response, prompty);
  };
}

/** promptflow's prompty `response: all`: the whole answer in OpenAI's shape (choices, usage, model). */
function wholeResponse(request: ModelRequest, response: ModelResponse): unknown {
  if (request.api === "embedding")
    return { data: [{ embedding: response.embedding }], usage: response.usage };
  const choice =
    request.api === "chat"
      ? { index: 0, message: response.message ?? { role: "assistant", content: response.text ?? null } }
      : { index: 0, text: response.text ?? "" };
  return {
    object: request.api === "chat" ? "chat.completion" : "text_completion",
    model: response.model ?? request.model,
    choices: [{ ...choice, finish_reason: response.finish_reason ?? "stop" }],
    usage: response.usage,
  };
}

function outputOf(request: ModelRequest, response: ModelResponse, prompty: boolean): unknown {
  if (request.api === "embedding") return response.embedding;
  if (request.api === "chat" && !prompty && offersFunctions(request)) {
    // promptflow's llm tool: given `functions` or `tools`, the output is the whole assistant message
    // (OpenAI's message with content, role, function_call and tool_calls), a call or not. (A prompty
    // returns the message only when it holds tool calls, as below.)
    const message = response.message;
    return {
      content: message?.content ?? response.text ?? null,
      role: "assistant",
      function_call: message?.function_call ?? null,
      tool_calls: message?.tool_calls?.length ? message.tool_calls : null,
    };
  }
  if (request.api === "chat" && response.message?.tool_calls?.length) return response.message;
  if (response.text !== undefined && response.text !== null) return response.text;
  if (request.api === "chat" && typeof response.message?.content === "string")
    return response.message.content;
  return "";
}

function offersFunctions(request: ModelRequest): boolean {
  const { tools, extra } = request.parameters;
  const functions = extra?.functions;
  return (Array.isArray(tools) && tools.length > 0) || (Array.isArray(functions) && functions.length > 0);
}

async function* streamText(chunks: AsyncIterable<ModelStreamChunk>, call: NodeCall): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    if (chunk.usage) call.reportUsage(chunk.usage);
    if (chunk.text) yield chunk.text;
  }
}
