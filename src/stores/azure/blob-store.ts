import { type ContainerClient, RestError } from "@azure/storage-blob";
import {
  type BlobInfo,
  type BlobPutOptions,
  type BlobStore,
  contentAddressedKey,
  validateBlobKey,
} from "../blob-store.js";
import { createBlobServiceClient, type Settings } from "./credentials.js";

/** The container flowops keeps its blobs in, unless `FLOWOPS_BLOB_CONTAINER` names another. */
export const DEFAULT_BLOB_CONTAINER = "flowops";

/**
 * The BlobStore port on Azure Blob Storage: one container, the key as the blob name. Content-addressed
 * puts use `If-None-Match: *`, so two writers of the same bytes never overwrite each other.
 */
export class AzureBlobStore implements BlobStore {
  constructor(readonly container: ContainerClient) {}

  /** Creates the container when missing (emulators and first runs; in Azure the infrastructure creates it). */
  async ensureContainer(): Promise<this> {
    await this.container.createIfNotExists();
    return this;
  }

  async put(key: string, body: Uint8Array | string, options: BlobPutOptions = {}): Promise<BlobInfo> {
    const target = options.contentAddressed ? contentAddressedKey(key, body) : validateBlobKey(key);
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const blob = this.container.getBlockBlobClient(target);
    try {
      await blob.uploadData(bytes, {
        ...(options.contentType ? { blobHTTPHeaders: { blobContentType: options.contentType } } : {}),
        ...(options.contentAddressed ? { conditions: { ifNoneMatch: "*" } } : {}),
      });
    } catch (error) {
      // Content-addressed and already there: the same bytes are stored, nothing to do.
      if (!(options.contentAddressed && isStatus(error, 409, 412))) throw error;
    }
    const properties = await blob.getProperties();
    return toInfo(target, properties.contentLength, properties.contentType, properties.lastModified);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await this.container.getBlobClient(validateBlobKey(key)).downloadToBuffer();
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return this.container.getBlobClient(validateBlobKey(key)).exists();
  }

  async list(prefix = ""): Promise<BlobInfo[]> {
    const infos: BlobInfo[] = [];
    for await (const item of this.container.listBlobsFlat(prefix ? { prefix } : {})) {
      const { contentLength, contentType, lastModified } = item.properties;
      infos.push(toInfo(item.name, contentLength, contentType, lastModified));
    }
    return infos.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<boolean> {
    const response = await this.container.getBlobClient(validateBlobKey(key)).deleteIfExists();
    return response.succeeded;
  }
}

/**
 * The Azure blob store from settings: the `AzureWebJobsStorage` connection (or the one named) and
 * the container `FLOWOPS_BLOB_CONTAINER` (default `flowops`). See credentials.ts for the rules.
 */
export function openAzureBlobStore(settings: Settings = process.env, connection?: string): AzureBlobStore {
  const service = createBlobServiceClient(settings, connection);
  return new AzureBlobStore(
    service.getContainerClient(settings["FLOWOPS_BLOB_CONTAINER"] || DEFAULT_BLOB_CONTAINER),
  );
}

function toInfo(
  key: string,
  size: number | undefined,
  contentType: string | undefined,
  lastModified: Date | undefined,
): BlobInfo {
  return {
    key,
    size: size ?? 0,
    ...(contentType && contentType !== "application/octet-stream" ? { contentType } : {}),
    ...(lastModified ? { lastModified: lastModified.toISOString() } : {}),
  };
}

function isStatus(error: unknown, ...statuses: number[]): boolean {
  return error instanceof RestError && statuses.includes(error.statusCode ?? 0);
}
