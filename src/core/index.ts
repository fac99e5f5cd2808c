export * from "./check-flow.js";
export * from "./flow-schema.js";
export { findCycles } from "./find-cycles.js";
export { type Locate, locateInFlow, type SourcePosition, type YamlPath } from "./flow-source-map.js";
export * from "./llm-settings.js";
export { readFlowDefinition } from "./read-flow-definition.js";
export { includeExists, resolveFlowFile } from "./resolve-flow-file.js";
export { FLOW_VALUE_TYPES, fitsType } from "./validate-inputs-outputs.js";
export { type ValidationOptions, validateFlow } from "./validate-flow.js";
