export type { FlexFlowYaml } from "./flex-schema.js";
export { type PythonFunctionInfo, parsePythonSignature } from "./parse-python-signature.js";
export { type FlexEntryInfo, flexEntryOf, readFlexFlow } from "./read-flex-flow.js";
export { resolveFlexInit } from "./resolve-init.js";
export { createTypescriptEntryRunner } from "./typescript-entry-runner.js";
