import { UserError } from "../errors.js";
import type { FlowDefinition, FlowValueType } from "../flow-definition.js";
import { coerceValue } from "../resolve-inputs.js";
import { flexEntryOf } from "./read-flex-flow.js";

/**
 * The init arguments of a flex class entry: the given ones (ExecutorOptions.init, promptflow's
 * `--init`), else the flow's `sample.init`, over the declared defaults. A required one that is missing is a UserError naming it.
 * Undefined for flows that are not flex class entries.
 */
export function resolveFlexInit(
  flow: Pick<FlowDefinition, "extra">,
  initGiven: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const flex = flexEntryOf(flow);
  if (!flex?.isClass) return undefined;
  const given = initGiven ?? flex.sampleInit;
  const init: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(flex.init)) {
    if (given && name in given) init[name] = typedInit(param.type, given[name], name);
    else if ("default" in param) init[name] = param.default;
    else if (param.required) {
      throw new UserError(
        "FlexInitMissing",
        `The flex flow's class '${flex.function}' needs the init argument '${name}': pass it with --init ${name}=VALUE (or an init file), or give it a default in flow.flex.yaml 'init'.`,
        { field: `init.${name}` },
      );
    }
  }
  for (const [name, value] of Object.entries(given ?? {})) if (!(name in init)) init[name] = value;
  return init;
}

/**
 * `--init count=3` arrives as text: a string given for an init parameter declared (or annotated) as a
 * number, bool, list or object is converted as flow inputs are; anything else is passed as it is.
 */
function typedInit(type: FlowValueType, value: unknown, name: string): unknown {
  if (typeof value !== "string" || type === "string" || type === "object") return value;
  try {
    return coerceValue(type, value, name);
  } catch (cause) {
    throw new UserError(
      "InvalidInit",
      `The init argument '${name}' must be ${type}: '${value.slice(0, 60)}' is not. Fix --init ${name}=... (or the init file).`,
      { field: `init.${name}`, cause },
    );
  }
}
