import type { ModelCallOptions } from "../core/model-port.js";
import type { CallContext } from "./to-provider-error.js";

/** What guardCall/guardStream report about one call: its node and model, the timeout, the caller's signal. */
export function callContext(
  request: { node?: string | undefined; model: string },
  timeoutMs: number | undefined,
  options?: ModelCallOptions,
): CallContext {
  return { node: request.node, model: request.model, timeoutMs, signal: options?.signal };
}
