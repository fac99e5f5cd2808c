import type { FlowDefinition } from "./flow-definition.js";

import type { YamlPath } from "./yaml-locator.js";

export { formatYamlPath, type YamlPath } from "./yaml-locator.js";

export interface SourcePosition {
  line: number;
  column: number;
}

/** Finds where a path starts in the YAML file (1-based), or undefined when it is not there. */
export type Locate = (path: YamlPath) => SourcePosition | undefined;

const locators = new WeakMap<FlowDefinition, Locate>();

/**
 * Remembers where the parts of a definition came from, so that validation can point at the line of an
 * input, an output or a node's field. Kept beside the definition (not in it) so the definition stays a
 * plain data object; a copy of the definition simply has no positions beyond each node's `position`.
 */
export function attachLocator(definition: FlowDefinition, locate: Locate): void {
  locators.set(definition, locate);
}

export function locateInFlow(definition: FlowDefinition, path: YamlPath): SourcePosition | undefined {
  return locators.get(definition)?.(path);
}
