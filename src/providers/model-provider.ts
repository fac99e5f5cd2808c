import { UserError } from "../core/errors.js";
import type {
  ChatRequest,
  CompletionRequest,
  EmbeddingRequest,
  ModelCallOptions,
  ModelResponse,
  ModelStreamChunk,
} from "../core/model-port.js";

/** The vendors flowops has adapters for. */
export type ProviderVendor = "azure-openai" | "openai" | "anthropic" | "mistral" | "bedrock";

/**
 * One vendor adapter, built for one connection. Each operation makes exactly one attempt: retries are
 * applied around it by the shared retry policy (see retry-policy.ts), never by the vendor SDK.
 * Failures are thrown as ProviderError (provider-error.ts).
 */
export interface ModelProvider {
  /** e.g. `openai:my-connection`. */
  readonly id: string;
  readonly vendor: ProviderVendor;
  chat(request: ChatRequest, options?: ModelCallOptions): Promise<ModelResponse>;
  streamChat(request: ChatRequest, options?: ModelCallOptions): AsyncIterable<ModelStreamChunk>;
  completion(request: CompletionRequest, options?: ModelCallOptions): Promise<ModelResponse>;
  /** Streaming completion, where the vendor has it (otherwise callers fall back to `completion`). */
  streamCompletion?(request: CompletionRequest, options?: ModelCallOptions): AsyncIterable<ModelStreamChunk>;
  embedding(request: EmbeddingRequest, options?: ModelCallOptions): Promise<ModelResponse>;
}

/** The vendor has no such API (e.g. embeddings on Anthropic). */
export class UnsupportedOperationError extends UserError {
  constructor(vendorLabel: string, operation: string, connection: string, node?: string) {
    super(
      "UnsupportedModelOperation",
      `${vendorLabel} (connection '${connection}') does not support the '${operation}' api${node ? ` used by node '${node}'` : ""}: use api 'chat', or a connection to a vendor that offers '${operation}'.`,
      node === undefined ? {} : { node },
    );
  }
}
