export { createPromptyNodeRunner, isPromptyNode } from "./prompty-node-runner.js";
export { type PromptyFrontMatter, promptySchema } from "./prompty-schema.js";
export {
  DEFAULT_PROMPTY_CONNECTIONS,
  promptyModelSettings,
  readPromptyFlow,
  readPromptyFrontMatter,
} from "./read-prompty-flow.js";
export { type PromptySections, promptyBody, splitPrompty } from "./split-prompty.js";
