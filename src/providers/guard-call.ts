import type { FlowopsError } from "../core/errors.js";
import type { ModelStreamChunk } from "../core/model-port.js";
import { type CallContext, toProviderError, type VendorContext } from "./to-provider-error.js";

/** Runs one SDK call and turns whatever it throws into a ProviderError. */
export async function guardCall<T>(
  vendor: VendorContext,
  call: CallContext,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toProviderError(error, vendor, call);
  }
}

/** Opens an SDK stream and maps its events to chunks, turning any failure into a ProviderError. */
export async function* guardStream<E>(
  vendor: VendorContext,
  call: CallContext,
  open: () => Promise<AsyncIterable<E>>,
  map: (event: E) => ModelStreamChunk | undefined,
): AsyncGenerator<ModelStreamChunk> {
  let events: AsyncIterable<E>;
  try {
    events = await open();
  } catch (error) {
    throw toProviderError(error, vendor, call);
  }
  try {
    for await (const event of events) {
      const chunk = map(event);
      if (chunk) yield chunk;
    }
  } catch (error) {
    throw toProviderError(error, vendor, call) as FlowopsError;
  }
}
