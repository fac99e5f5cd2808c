/**
 * Secrets: the process-wide registry of configured secret values and the one scrubber every writer
 * (telemetry, stores, runs, CLI, host, HTTP) uses. A leaf folder: it imports nothing from flowops.
 */
export {
  environmentSecretValues,
  hasSecretParts,
  isSecretFieldName,
  isSecretVariableName,
  withoutSecrets,
} from "./environment-secrets.js";
export {
  type ScrubValueOptions,
  scrubbingLog,
  scrubbingWriter,
  scrubSecrets,
  scrubValue,
} from "./scrub-secrets.js";
export { redactSecretPatterns } from "./secret-patterns.js";
export {
  MIN_SECRET_LENGTH,
  REDACTED,
  registerEnvironmentSecrets,
  registeredSecretCount,
  registerSecret,
  registerSecrets,
  scrubRegisteredSecrets,
} from "./secret-registry.js";
