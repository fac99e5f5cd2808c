import { pathToFileURL } from "node:url";
import { UserError } from "../errors.js";
import { importModule } from "../import-module.js";
import {
  collectStream,
  isAsyncIterable,
  type NodeRunner,
  type RunnerSetup,
} from "../node-runners/node-runner.js";
import { resolveFlowFile } from "../resolve-flow-file.js";
import { resolveFlexInit } from "./resolve-init.js";

type Callable = (inputs: Record<string, unknown>, context: unknown) => unknown;

/**
 * A TypeScript flex entry (`entry: file.ts:name`): the named export is called with one object of the
 * inputs and the NodeContext. When it is a class, it is constructed once with the init arguments
 * (`new Entry(init)`) and its `call` (or `__call__`) method runs each line.
 */
export async function createTypescriptEntryRunner(setup: RunnerSetup): Promise<NodeRunner> {
  const { node, flow } = setup;
  const name = node.source.function!;
  const file = node.source.path ? resolveFlowFile(flow, node.source.path) : undefined;
  if (!file) {
    throw new UserError(
      "CodeFileMissing",
      `Flex entry '${name}': its file '${node.source.path}' does not exist.`,
      {
        node: node.name,
        field: "entry",
      },
    );
  }
  let module: Record<string, unknown>;
  try {
    // tsx is loaded with the first TypeScript file, not at start-up.
    const { tsImport } = (await importModule("tsx/esm/api")) as typeof import("tsx/esm/api");
    module = await tsImport(pathToFileURL(file).href, import.meta.url);
  } catch (error) {
    throw new UserError(
      "CodeNodeLoadFailed",
      `Cannot load the flex entry file '${file}': ${(error as Error).message}`,
      { node: node.name, cause: error, location: { file } },
    );
  }
  const target = module[name] ?? (module.default as Record<string, unknown> | undefined)?.[name];
  if (typeof target !== "function") {
    throw new UserError(
      "FlexEntryNotFound",
      `The flex entry file '${file}' exports no function or class '${name}': export it, or fix 'entry' in flow.flex.yaml.`,
      { node: node.name, field: "entry" },
    );
  }
  let fn: Callable;
  if (isClass(target)) {
    const instance = new (target as new (init: unknown) => Record<string, unknown>)(
      resolveFlexInit(flow, setup.init) ?? {},
    );
    const method = (instance.call ?? instance.__call__) as Callable | undefined;
    if (typeof method !== "function") {
      throw new UserError(
        "FlexEntryNotCallable",
        `The flex entry class '${name}' has no 'call' method: add 'call(inputs, context)' that runs one line.`,
        { node: node.name, field: "entry" },
      );
    }
    fn = method.bind(instance);
  } else fn = target as Callable;
  return async (call) => {
    const value = await fn(call.inputs, call.context);
    if (!call.stream && typeof value !== "string" && isAsyncIterable(value)) return collectStream(value);
    return value;
  };
}

function isClass(value: unknown): boolean {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}
