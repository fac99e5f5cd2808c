/**
 * The port through which the engine calls language models. The engine builds a ModelRequest from an
 * `llm` node (rendered prompt + parameters + connection name); the application wires an implementation
 * (src/providers) that resolves the connection to a vendor adapter. Core never imports a vendor SDK.
 */

export type ChatRole = "system" | "user" | "assistant" | "tool" | "function";

export type ChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } };

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  /** The legacy `functions` API's call (OpenAI `function_call`), as promptflow's llm tool returns it. */
  function_call?: { name: string; arguments: string };
  tool_call_id?: string;
}

/** Model parameters as promptflow's llm node names them. Unknown ones are passed through in `extra`. */
export interface ModelParameters {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  seed?: number;
  response_format?: { type: "text" | "json_object" | "json_schema"; json_schema?: unknown };
  tools?: unknown[];
  tool_choice?: unknown;
  logit_bias?: Record<string, number>;
  user?: string;
  n?: number;
  extra?: Record<string, unknown>;
}

export interface ModelRequestBase {
  /** Name of the connection (promptflow `connection:`). */
  connection: string;
  /** The connection itself, when given inline (a prompty's model configuration): used instead of the name. */
  inlineConnection?: Record<string, unknown>;
  /** Optional vendor hint from the node's `provider:` field. */
  provider?: string;
  /** Azure deployment name (`deployment_name`) or vendor model id (`model`). */
  model: string;
  parameters: ModelParameters;
  /** The node that made the request, for errors, traces and recordings. */
  node?: string;
}

export interface ChatRequest extends ModelRequestBase {
  api: "chat";
  messages: ChatMessage[];
}

export interface CompletionRequest extends ModelRequestBase {
  api: "completion";
  prompt: string;
}

export interface EmbeddingRequest extends ModelRequestBase {
  api: "embedding";
  input: string | string[];
}

export type ModelRequest = ChatRequest | CompletionRequest | EmbeddingRequest;

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ModelResponse {
  /** Chat or completion text (null when the model answered only with tool calls). */
  text?: string | null;
  /** The assistant message, for chat. */
  message?: ChatMessage;
  /** For embeddings: one vector, or one per input when the input was a list. */
  embedding?: number[] | number[][];
  finish_reason?: string;
  usage: TokenUsage;
  /** The model/deployment that actually answered. */
  model?: string;
}

export interface ModelStreamChunk {
  /** Text delta. */
  text?: string;
  /** Set on the last chunk when the vendor reports it. */
  usage?: TokenUsage;
  finish_reason?: string;
}

export interface ModelCallOptions {
  signal?: AbortSignal;
}

/** What the engine needs from the outside world to run `llm` nodes. */
export interface ModelPort {
  invoke(request: ModelRequest, options?: ModelCallOptions): Promise<ModelResponse>;
  stream(
    request: ChatRequest | CompletionRequest,
    options?: ModelCallOptions,
  ): AsyncIterable<ModelStreamChunk>;
}

/** A connection as the engine sees it for validation: its name and promptflow type. */
export interface ConnectionInfo {
  name: string;
  /** promptflow connection type: `azure_open_ai`, `open_ai`, `custom`, `anthropic`, ... */
  type: string;
}

/** Lets validation check that a node's connection exists and has a fitting type. */
export interface ConnectionCatalog {
  get(name: string): ConnectionInfo | undefined;
}
