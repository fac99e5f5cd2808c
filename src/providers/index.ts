export { createAnthropicProvider } from "./anthropic/anthropic-provider.js";
export { cognitiveServicesScope, createAzureOpenAIProvider } from "./azure-openai/azure-openai-provider.js";
export { createBedrockProvider } from "./bedrock/bedrock-provider.js";
export {
  type CreateModelPortOptions,
  createModelPort,
  isOfflineMode,
  type ModelMode,
} from "./create-model-port.js";
export { type CreateProviderOptions, createProvider } from "./create-provider.js";
export { createMistralProvider } from "./mistral/mistral-provider.js";
export { createMockModelPort, MOCK_LABEL, MOCK_MODEL } from "./mock-model.js";
export { type ModelProvider, type ProviderVendor, UnsupportedOperationError } from "./model-provider.js";
export { createOpenAICompatibleProvider } from "./openai/openai-compatible-provider.js";
export { createOpenAIProvider } from "./openai/openai-provider.js";
export { ProviderError, type ProviderErrorCode } from "./provider-error.js";
export {
  canonicalRequest,
  createRecordingStore,
  type Recording,
  RecordingNotFoundError,
  type RecordingStore,
  recordingKey,
} from "./record-replay.js";
export { defaultRetryOptions, type RetryOptions, withRetry } from "./retry-policy.js";
export { withRetries } from "./retrying-provider.js";
