import { FlowopsError } from "../core/errors.js";
import type { ProviderVendor } from "./model-provider.js";
import { ProviderError, type ProviderErrorCode } from "./provider-error.js";
import { parseRetryAfter } from "./retry-after.js";

/** What an adapter tells the error mapper about itself, so messages can name the fix. */
export interface VendorContext {
  vendor: ProviderVendor;
  /** Human name: "Azure OpenAI", "OpenAI", ... */
  label: string;
  connection: string;
  /** What to check on 401/403, e.g. "check the api_key". */
  authHint: string;
  /** What to check on 404, e.g. "check that the deployment exists". */
  notFoundHint: string;
  /** Secret values to scrub from anything quoted from the vendor. */
  secrets: readonly string[];
}

export interface CallContext {
  node?: string | undefined;
  model?: string | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

type Kind = "timeout" | "abort" | "connection" | "other";

/** Maps whatever a vendor SDK threw to a ProviderError with a code, a fix and `retryable`. */
export function toProviderError(error: unknown, vendor: VendorContext, call: CallContext = {}): FlowopsError {
  if (error instanceof FlowopsError) return error;
  const e = (error ?? {}) as Record<string, unknown>;
  const metadata = e["$metadata"] as { httpStatusCode?: number } | undefined;
  const response = e["$response"] as { headers?: unknown } | undefined;
  const status = numberOr(e["status"]) ?? numberOr(e["statusCode"]) ?? metadata?.httpStatusCode;
  const headers = e["headers"] ?? response?.headers;
  const vendorMessage = scrub(error instanceof Error ? error.message : String(error), vendor.secrets);
  const who = `${vendor.label} for connection '${vendor.connection}'${call.node ? ` (node '${call.node}')` : ""}`;
  const model = call.model ? ` '${call.model}'` : "";
  const base = {
    vendor: vendor.vendor,
    connection: vendor.connection,
    status,
    node: call.node,
    cause: error,
  };
  const make = (code: ProviderErrorCode, message: string, retryable: boolean, retryAfterMs?: number) =>
    new ProviderError(code, message, {
      ...base,
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });

  const kind = call.signal?.aborted ? "abort" : classify(error);
  if (kind === "abort") return make("ModelCallAborted", `The call to ${who} was cancelled.`, false);
  // A transport failure after a 2xx status line (connection dropped mid-body) is still a transport failure.
  if (status === undefined || status === 408 || (status < 300 && kind !== "other")) {
    if (kind === "timeout" || status === 408) {
      const after = call.timeoutMs ? ` after ${call.timeoutMs} ms` : "";
      return make("ModelTimeout", `Timed out calling ${who}${after}; raise the timeout or retry.`, true);
    }
    if (kind === "connection") {
      return make(
        "ModelConnectionFailed",
        `Could not reach ${who}: ${vendorMessage}. Check the connection's endpoint and the network.`,
        true,
      );
    }
    return make("ModelCallFailed", `Calling ${who} failed: ${vendorMessage}`, false);
  }
  const detail = ` Vendor said: ${vendorMessage}`;
  if (status === 401)
    return make("ModelAuthenticationFailed", `401 from ${who}: ${vendor.authHint}.${detail}`, false);
  if (status === 403)
    return make(
      "ModelPermissionDenied",
      `403 from ${who}: permission denied; ${vendor.authHint}.${detail}`,
      false,
    );
  if (status === 404)
    return make(
      "ModelNotFound",
      `404 from ${who}: model${model} not found; ${vendor.notFoundHint}.${detail}`,
      false,
    );
  if (status === 400 || status === 413 || status === 422) {
    return make(
      "ModelBadRequest",
      `${status} from ${who}: the request for model${model} was rejected; check the node's prompt and parameters.${detail}`,
      false,
    );
  }
  if (status === 429) {
    const wait = parseRetryAfter(headers);
    return make(
      "ModelRateLimited",
      `429 from ${who}: rate limited; lower the concurrency or raise the quota.${detail}`,
      true,
      wait,
    );
  }
  if (status >= 500 || status === 409) {
    return make(
      "ModelServerError",
      `${status} from ${who}: the service failed; it was retried.${detail}`,
      true,
      parseRetryAfter(headers),
    );
  }
  return make("ModelCallFailed", `${status} from ${who}.${detail}`, false);
}

function classify(error: unknown): Kind {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
    const name = String(e.name ?? "");
    const code = String(e.code ?? "");
    const message = String(e.message ?? "").toLowerCase();
    if (name === "APIUserAbortError" || name === "RequestAbortedError") return "abort";
    if (/timeout/i.test(name) || code === "ETIMEDOUT" || message.includes("timed out")) return "timeout";
    if (
      name === "APIConnectionError" ||
      name === "ConnectionError" ||
      /^(ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET)$/.test(code) ||
      /socket hang up|terminated|other side closed|fetch failed|econnreset|premature close/.test(message)
    ) {
      return "connection";
    }
    current = e.cause;
  }
  return "other";
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Removes the connection's secrets (and anything shaped like a key or bearer token) from text. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("******");
  return out
    .replace(/\bsk-[A-Za-z0-9_*.-]{6,}/g, "sk-******")
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer ******");
}
