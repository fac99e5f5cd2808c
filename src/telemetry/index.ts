export { LocalSpanExporter, readStoredSpans, type StoredSpan, tracesDirectory } from "./local-span-store.js";
export { isSecretKey, REDACTED, redactSecrets, redactValue } from "./redact.js";
export { setupTelemetry, type Telemetry, type TelemetryOptions } from "./setup-telemetry.js";
export { flushTelemetry } from "./telemetry-state.js";
