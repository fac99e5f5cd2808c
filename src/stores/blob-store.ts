import { createHash } from "node:crypto";
import { UserError } from "../core/errors.js";

/**
 * The blob-store port: flow packages, data snapshots, large payloads and reports, addressed by
 * `/`-separated keys such as `packages/qna/3.zip` or `reports/run-1/index.html`. The local embedded
 * adapter keeps files under `$FLOWOPS_HOME/blobs`; the Azure adapter uses one Blob Storage
 * container. One contract suite (tests/support/blob-store-contract.ts) runs against both.
 */

export interface BlobPutOptions {
  contentType?: string;
  /**
   * Content-addressed put: `key` is then a folder, the blob is stored at `<key>/<sha256 hex>` and
   * written only when no blob is there yet (same bytes, same key: a second put is a no-op).
   */
  contentAddressed?: boolean;
}

export interface BlobInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  contentType?: string;
  /** ISO timestamp. */
  lastModified?: string;
}

export interface BlobStore {
  /** Writes (or replaces) a blob; durable when the promise resolves. Returns where it was stored. */
  put(key: string, body: Uint8Array | string, options?: BlobPutOptions): Promise<BlobInfo>;
  /** The blob's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  exists(key: string): Promise<boolean>;
  /** Blobs whose key starts with `prefix` (a plain string prefix), sorted by key. */
  list(prefix?: string): Promise<BlobInfo[]>;
  /** Removes a blob; resolves to false when there was none. */
  delete(key: string): Promise<boolean>;
}

/** A blob key that cannot be stored the same way everywhere. */
export class BlobKeyError extends UserError {
  constructor(key: string, reason: string) {
    super(
      "BlobKey",
      `Blob key '${key}' ${reason}. Use '/'-separated names like 'reports/run-1/index.html'.`,
      {
        field: "key",
      },
    );
  }
}

const MAX_KEY_LENGTH = 1024;

/**
 * Checks a key before any adapter uses it, so both adapters accept exactly the same keys: no empty
 * or `.`/`..` segments (no escape from the local folder), no backslashes or control characters.
 */
export function validateBlobKey(key: string): string {
  if (key.length === 0) throw new BlobKeyError(key, "is empty");
  if (key.length > MAX_KEY_LENGTH)
    throw new BlobKeyError(key.slice(0, 40), `is longer than ${MAX_KEY_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(key))
    throw new BlobKeyError(key, "contains a backslash or a control character");
  for (const segment of key.split("/")) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new BlobKeyError(key, "has an empty, '.' or '..' segment (or a leading/trailing '/')");
    }
  }
  return key;
}

/** Where a content-addressed put stores `body` under `folder`: `<folder>/<sha256 hex>`. */
export function contentAddressedKey(folder: string, body: Uint8Array | string): string {
  return `${validateBlobKey(folder)}/${createHash("sha256").update(body).digest("hex")}`;
}
