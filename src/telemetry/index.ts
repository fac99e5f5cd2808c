export { LocalSpanExporter, readStoredSpans, type StoredSpan, tracesDirectory } from "./local-span-store.js";
export { isSecretKey, REDACTED, redactSecrets, redactValue } from "./redact.js";
export { flushTelemetry, setupTelemetry, type Telemetry, type TelemetryOptions } from "./setup-telemetry.js";
