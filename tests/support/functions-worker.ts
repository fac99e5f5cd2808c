import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";

/**
 * The Azure Functions Node.js worker's side of the v4 programming model, for tests (the worker and
 * its host are not available offline). The worker, not npm, provides the module
 * `@azure/functions-core`; `installFunctionsWorker()` provides it to this process, so that
 * `@azure/functions` registers for real instead of switching to its test mode. It records each
 * function's metadata (name and bindings, what the host reads when the worker starts) and handler, and
 * invokes a function the way the worker does: RPC input data through `@azure/functions`' own
 * invocation model (bindings → trigger argument, extra inputs, InvocationContext) to the handler and
 * back to an RPC response. Install it before the app is imported; once per process.
 */

export interface Binding {
  type: string;
  direction: "in" | "out";
  [key: string]: unknown;
}

export interface Registration {
  metadata: { name: string; bindings: Record<string, Binding> };
  handler: (...args: unknown[]) => unknown;
}

interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: Registration["handler"]): Promise<unknown>;
  getResponse(
    context: unknown,
    result: unknown,
  ): Promise<{ returnValue?: { string?: string; json?: string } }>;
}

interface ProgrammingModel {
  name: string;
  getInvocationModel(coreContext: unknown): InvocationModel;
}

export interface FunctionsWorker {
  /** Every registration, in order. */
  registrations: Registration[];
  /** The programming model the app set (`@azure/functions`). */
  programmingModel(): ProgrammingModel | undefined;
  registration(name: string): Registration;
  /**
   * Invokes a function as the worker does. `inputs` maps a binding's type (`queueTrigger`,
   * `durableClient`…) to its value as the host sends it (JSON text for objects); returns the
   * handler's result.
   */
  invoke(name: string, inputs: Record<string, unknown>): Promise<unknown>;
  /** Lines the app logged through the worker, `level category: message`. */
  logs: string[];
}

export function installFunctionsWorker(): FunctionsWorker {
  const registrations: Registration[] = [];
  const logs: string[] = [];
  let model: ProgrammingModel | undefined;
  const core = {
    version: "4.0.0-test",
    hostVersion: "4.0.0-test",
    setProgrammingModel(programmingModel: ProgrammingModel) {
      model = programmingModel;
    },
    getProgrammingModel: () => model,
    registerFunction(metadata: Registration["metadata"], handler: Registration["handler"]) {
      registrations.push({ metadata, handler });
      return { dispose() {} };
    },
    registerHook: () => ({ dispose() {} }),
    log(level: string, category: string, message: string) {
      logs.push(`${level} ${category}: ${message}`);
    },
  };
  const Module = createRequire(import.meta.url)("node:module") as {
    _load(request: string, ...rest: unknown[]): unknown;
  };
  const load = Module._load;
  Module._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === "@azure/functions-core" ? core : load.call(this, request, ...rest);
  };

  const registration = (name: string) => {
    const found = registrations.find((entry) => entry.metadata.name === name);
    if (!found) throw new Error(`no function named ${name} was registered`);
    return found;
  };
  return {
    registrations,
    logs,
    programmingModel: () => model,
    registration,
    async invoke(name, inputs) {
      const { metadata, handler } = registration(name);
      if (!model) throw new Error("the app set no programming model");
      const inputData = Object.entries(metadata.bindings).flatMap(([bindingName, binding]) => {
        if (binding.direction !== "in" || !(binding.type in inputs)) return [];
        const value = inputs[binding.type];
        return [
          { name: bindingName, data: { string: typeof value === "string" ? value : JSON.stringify(value) } },
        ];
      });
      const invocationId = randomUUID();
      const invocation = model.getInvocationModel({
        invocationId,
        metadata,
        request: { invocationId, inputData, triggerMetadata: {} },
        state: undefined,
        log: (level: string, category: string, message: string) =>
          logs.push(`${level} ${category}: ${message}`),
      });
      const { context, inputs: args } = await invocation.getArguments();
      const result = await invocation.invokeFunction(context, args, handler);
      await invocation.getResponse(context, result);
      return result;
    },
  };
}
