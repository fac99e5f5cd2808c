import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { NodeDefinition } from "../flow-definition.js";
import { promptyBody } from "../prompty/split-prompty.js";
import { compilePrompt, type PromptTemplate } from "../render-prompt.js";

/**
 * Reads and compiles the Jinja2 file at a node's `source.path` (relative to the flow folder). A
 * `.prompty` file counts as its body, so an llm/prompt node may point at one.
 */
export async function loadPromptTemplate(
  node: NodeDefinition,
  flowDirectory: string,
): Promise<PromptTemplate> {
  const path = node.source.path;
  if (!path) {
    throw new UserError(
      "PromptFileMissing",
      `Node '${node.name}' has no source.path: point it at its Jinja2 prompt file.`,
      {
        node: node.name,
        field: "source.path",
      },
    );
  }
  const file = isAbsolute(path) ? path : resolve(flowDirectory, path);
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new UserError(
      "PromptFileMissing",
      `Node '${node.name}': cannot read its prompt file '${path}' (${(error as NodeJS.ErrnoException).code ?? "error"}). Check source.path.`,
      { node: node.name, field: "source.path", cause: error, location: { file } },
    );
  }
  // A `.prompty` file holds YAML front matter before its Jinja2 body: only the body is the template.
  return compilePrompt(file.endsWith(".prompty") ? promptyBody(source, file) : source, path);
}
