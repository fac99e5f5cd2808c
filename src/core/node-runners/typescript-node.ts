import { isAbsolute, resolve } from "node:path";
import { UserError } from "../errors.js";
import { collectStream, isAsyncIterable, type NodeRunner, type RunnerSetup } from "./node-runner.js";

/**
 * `type: typescript`: the default export of `source.path` is called with one object of the node's
 * named inputs and the NodeContext. It may be async, and may return an async iterable: passed on as a
 * stream when the executor allows it for this node, otherwise joined into one string.
 */
export async function createTypescriptRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const { node, flow } = setup;
  const path = node.source.path;
  if (!path) {
    throw new UserError(
      "CodeFileMissing",
      `Node '${node.name}' has no source.path: point it at its .ts or .js file.`,
      {
        node: node.name,
        field: "source.path",
      },
    );
  }
  const fn = await setup.loadCode(isAbsolute(path) ? path : resolve(flow.directory, path));
  return (call) => {
    const result = fn(call.inputs, call.context);
    if (result instanceof Promise) return result.then((value) => settle(value, call.stream));
    return settle(result, call.stream);
  };
}

function settle(value: unknown, stream: boolean): unknown {
  if (!stream && typeof value !== "string" && isAsyncIterable(value)) return collectStream(value);
  return value;
}
