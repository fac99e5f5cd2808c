import { NotSupportedError } from "../errors.js";
import type { NodeRunner, RunnerSetup } from "./node-runner.js";

/**
 * `type: python` (and other recognised but not yet executable types): validation accepts them, running
 * one fails with a NotSupportedError naming the node. Python nodes run in a later release.
 */
export function createUnsupportedRunner(setup: RunnerSetup): NodeRunner {
  const { node } = setup;
  const message =
    node.type === "python"
      ? `Node '${node.name}' is a python node: python nodes are not supported yet (they come in a later release). Rewrite it as a typescript node to run this flow now.`
      : `Node '${node.name}' has type '${node.type}', which flowops cannot run yet.`;
  return () => {
    throw new NotSupportedError("NotSupported", message, { node: node.name });
  };
}
