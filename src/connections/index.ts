/**
 * Connections: promptflow's connection schema, the store port and its env/file/composite stores,
 * resolution of `${env:...}` values, masking, and connection YAML. Providers and stores both build on
 * this folder; it imports nothing of the project but `src/core`.
 */
export { createCompositeConnectionStore } from "./composite-connection-store.js";
export { loadConnectionCatalog } from "./connection-catalog.js";
export { createConnectionFileStore } from "./connection-file-store.js";
export {
  type AnthropicConnection,
  type AzureContentSafetyConnection,
  type AzureOpenAIConnection,
  type BedrockConnection,
  type CognitiveSearchConnection,
  type Connection,
  type ConnectionInput,
  type ConnectionType,
  type CustomConnection,
  connectionSchema,
  connectionTypes,
  InvalidConnectionError,
  type MistralConnection,
  type OpenAIConnection,
  parseConnection,
  type SerpConnection,
  type ServerlessConnection,
} from "./connection-schema.js";
export {
  ConnectionExistsError,
  ConnectionNotFoundError,
  type ConnectionStore,
  connectionEnvName,
  ReadOnlyConnectionStoreError,
} from "./connection-store.js";
export {
  type ConnectionOverrides,
  parseConnectionYaml,
  readConnectionFile,
  updateConnection,
} from "./connection-yaml.js";
export { createConnectionStore } from "./create-connection-store.js";
export { createEnvConnectionStore } from "./env-connection-store.js";
export { maskConnection, maskedValue, secretValues } from "./mask-connection.js";
export { resolveConnection } from "./resolve-connection.js";
