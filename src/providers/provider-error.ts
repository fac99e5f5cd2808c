import { FlowopsError } from "../core/errors.js";
import type { ProviderVendor } from "./model-provider.js";

export type ProviderErrorCode =
  | "ModelAuthenticationFailed"
  | "ModelPermissionDenied"
  | "ModelNotFound"
  | "ModelBadRequest"
  | "ModelRateLimited"
  | "ModelServerError"
  | "ModelTimeout"
  | "ModelConnectionFailed"
  | "ModelCallAborted"
  | "ModelCallFailed";

export interface ProviderErrorOptions {
  vendor: ProviderVendor;
  connection: string;
  status?: number;
  retryable: boolean;
  /** How long the server asked us to wait (`retry-after-ms` / `retry-after`), when it said so. */
  retryAfterMs?: number;
  node?: string;
  cause?: unknown;
}

/**
 * A model call failed. The message names the connection, the vendor and the fix; it never contains the
 * connection's secrets (vendor messages are scrubbed before they are quoted). The SDK error is the cause.
 */
export class ProviderError extends FlowopsError {
  override readonly isUserError: boolean;
  readonly vendor: ProviderVendor;
  readonly connection: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ProviderErrorCode, message: string, options: ProviderErrorOptions) {
    super(code, message, {
      retryable: options.retryable,
      cause: options.cause,
      ...(options.node === undefined ? {} : { node: options.node }),
    });
    this.vendor = options.vendor;
    this.connection = options.connection;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.isUserError = [
      "ModelAuthenticationFailed",
      "ModelPermissionDenied",
      "ModelNotFound",
      "ModelBadRequest",
    ].includes(code);
  }
}
