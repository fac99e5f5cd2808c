/** What an `llm` node may say, as promptflow's built-in llm tool understands it (plus flowops' vendors). */

export const LLM_APIS = ["chat", "completion", "embedding"] as const;

/** promptflow's `provider:` values, plus the vendors flowops adds. */
export const LLM_PROVIDERS = ["AzureOpenAI", "OpenAI", "Anthropic", "Mistral", "Bedrock"] as const;

/** promptflow's `module:` values for the built-in llm tool. */
export const LLM_MODULES = [
  "promptflow.tools.aoai",
  "promptflow.tools.openai",
  "promptflow.tools.aoai_gpt4v",
  "promptflow.tools.openai_gpt4v",
  "promptflow.tools.embedding",
] as const;

/** Connection types (promptflow's `type:` in a connection YAML) an `llm` node can call a model through. */
export const LLM_CONNECTION_TYPES = [
  "azure_open_ai",
  "open_ai",
  "anthropic",
  "mistral",
  "bedrock",
  "serverless",
] as const;

/** Node types flowops runs. */
export const SUPPORTED_NODE_TYPES = ["llm", "prompt", "typescript", "python", "prompty"] as const;

export const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"] as const;
