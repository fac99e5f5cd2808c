import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { UserError } from "../errors.js";
import type { FlowDefinition } from "../flow-definition.js";
import { resolveFlowFile } from "../resolve-flow-file.js";

/** Whether a python parameter's annotation is promptflow's `AssistantDefinition`. */
export function isAssistantDefinition(annotation: string | undefined): boolean {
  return annotation === "AssistantDefinition" || (annotation?.endsWith(".AssistantDefinition") ?? false);
}

export interface AssistantDefinitionInput {
  /** The YAML's content, for the worker to build promptflow's AssistantDefinition from. */
  value: { __assistant_definition__: unknown };
  /** `TOOL_INDEX:INPUT` → the name a tool's predefined input gives (a connection, when one has that name). */
  predefined: [string, string][];
}

/**
 * A node input naming an assistant definition file (`assistant_definition: assistant_definition.yaml`, as
 * promptflow's assistant flows write it), read from the flow folder: its model, instructions and tools
 * go to the python tool as an AssistantDefinition whose tool_invoker holds the listed python tools.
 */
export async function readAssistantDefinition(
  flow: Pick<FlowDefinition, "directory" | "additional_includes">,
  node: string,
  param: string,
  file: string,
): Promise<AssistantDefinitionInput> {
  const found = resolveFlowFile(flow, file);
  if (!found) {
    throw new UserError(
      "AssistantDefinitionMissing",
      `Node '${node}' input '${param}' names the assistant definition '${file}', which does not exist in ${flow.directory}: create it or fix the path.`,
      { node, field: `inputs.${param}` },
    );
  }
  let content: unknown;
  try {
    content = parse(await readFile(found, "utf8"));
  } catch (error) {
    throw new UserError(
      "AssistantDefinitionInvalid",
      `Node '${node}': the assistant definition ${found} is not valid YAML (${(error as Error).message}).`,
      { node, field: `inputs.${param}`, cause: error, location: { file: found } },
    );
  }
  const tools = (content as { tools?: unknown } | null)?.tools;
  const predefined: [string, string][] = [];
  if (Array.isArray(tools))
    tools.forEach((tool, index) => {
      const inputs = (tool as { predefined_inputs?: unknown } | null)?.predefined_inputs;
      if (inputs && typeof inputs === "object")
        for (const [name, value] of Object.entries(inputs))
          if (typeof value === "string") predefined.push([`${index}:${name}`, value]);
    });
  return { value: { __assistant_definition__: content ?? {} }, predefined };
}
