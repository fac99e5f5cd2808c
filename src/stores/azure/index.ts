/** The Azure adapters of the store ports: Cosmos DB runs, Blob Storage blobs, Storage queues. */
export { AzureBlobStore, DEFAULT_BLOB_CONTAINER, openAzureBlobStore } from "./blob-store.js";
export {
  CosmosRunStore,
  type CosmosRunStoreOptions,
  DEFAULT_COSMOS_CONTAINER,
  DEFAULT_COSMOS_DATABASE,
  ensureRunsContainer,
  openCosmosRunStore,
} from "./cosmos-run-store.js";
export {
  AzureSettingsError,
  createAzureCredential,
  createBlobServiceClient,
  createCosmosClient,
  createQueueServiceClient,
  DEFAULT_STORAGE_CONNECTION,
  isEmulatorConnectionString,
  type Settings,
} from "./credentials.js";
export {
  decodeQueueMessage,
  encodeQueueMessage,
  MAX_DEQUEUE_COUNT,
  openRunQueue,
  QueueMessageError,
  type ReceivedMessage,
  RunQueue,
  runQueueName,
} from "./queue-client.js";
