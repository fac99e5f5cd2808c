import { FlowValidationError } from "../errors.js";
import type { FlowExecutor, PromptyCaller } from "../execution-types.js";
import type { FlowDefinition } from "../flow-definition.js";
import { validateFlow } from "../validate-flow.js";
import { readPromptyFlow } from "./read-prompty-flow.js";
import { checkPromptyInputs, renderPrompty } from "./render-prompty.js";

/**
 * Runs `.prompty` files for python code (promptflow.core's `Prompty`), through the same engine and
 * model port as the flow: each file (with its `model` override) is read and validated once, then run
 * per call. The answer is the prompty's output (a dict when it declares JSON outputs); with
 * `stream: true` in its parameters, an AsyncIterable of text chunks.
 */
export function createPromptyCaller(
  createExecutor: (definition: FlowDefinition) => Promise<FlowExecutor>,
): PromptyCaller {
  const executors = new Map<string, Promise<FlowExecutor>>();
  const executorFor = (file: string, model: Record<string, unknown> | undefined) => {
    const key = JSON.stringify([file, model ?? null]);
    let found = executors.get(key);
    if (!found) {
      found = readPromptyFlow(file, model ? { model } : {}).then((definition) => {
        const diagnostics = validateFlow(definition).filter((d) => d.code !== "ConnectionNotFound");
        if (diagnostics.length > 0) throw new FlowValidationError(diagnostics);
        return createExecutor(definition);
      });
      found.catch(() => executors.delete(key));
      executors.set(key, found);
    }
    return found;
  };
  return async (request) => {
    const executor = await executorFor(request.file, request.model);
    if (request.render) return renderPrompty(executor.definition, request.inputs);
    checkPromptyInputs(executor.definition, request.inputs);
    const parameters = (
      executor.definition.extra["prompty"] as { model?: { parameters?: { stream?: unknown } } }
    )?.model?.parameters;
    const { outputs } = await executor.run(request.inputs, {
      stream: parameters?.stream === true,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.parentSpan ? { parentSpan: request.parentSpan } : {}),
    });
    const names = Object.keys(outputs);
    return names.length === 1 && names[0] === "output" ? outputs["output"] : outputs;
  };
}
