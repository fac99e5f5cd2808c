export { type PromptyFrontMatter, promptySchema } from "./prompty-schema.js";
export { DEFAULT_PROMPTY_CONNECTIONS, readPromptyFlow } from "./read-prompty-flow.js";
export { type PromptySections, promptyBody, splitPrompty } from "./split-prompty.js";
