import nunjucks from "nunjucks";
import { UserError } from "./errors.js";
import { guardedRuntime, promptEnvironment } from "./prompt-environment.js";

/** A Jinja2 prompt compiled once, rendered per line. */
export interface PromptTemplate {
  /** Where the template came from (a file path or a label), for messages. */
  readonly name: string;
  render(variables: Record<string, unknown>): string;
}

/** A prompt that does not compile or render. */
export class PromptTemplateError extends UserError {}

type RootRender = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => void;
interface CompiledTemplate {
  rootRenderFunc: RootRender;
}

function explain(error: unknown, name: string, stage: "compile" | "render"): PromptTemplateError {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw
    .split(`(${name})`)
    .join("")
    .replace(/\(unknown path\)\s*/g, "")
    .replace(/(?:Template render error|Error):\s*/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const hint = /template not found/i.test(message)
    ? " Prompt templates cannot include, import or extend other files: inline that text in the prompt."
    : " Fix the prompt template.";
  return new PromptTemplateError(
    "PromptTemplateError",
    `Failed to ${stage} the prompt template '${name}': ${message}.${hint}`,
    { cause: error, location: { file: name } },
  );
}

/**
 * Compiles a Jinja2 prompt (nunjucks, in the host-isolated environment of prompt-environment.ts:
 * no file system, no prototype access, autoescape off, `trim_blocks` on as promptflow renders).
 * Syntax errors are thrown here, naming the template.
 */
export function compilePrompt(source: string, name = "<prompt>"): PromptTemplate {
  let template: nunjucks.Template;
  try {
    template = new nunjucks.Template(source, promptEnvironment(), name, true);
  } catch (error) {
    throw explain(error, name, "compile");
  }
  const compiled = template as unknown as CompiledTemplate;
  const root = compiled.rootRenderFunc;
  compiled.rootRenderFunc = (env, context, frame, _runtime, cb) =>
    root(env, context, frame, guardedRuntime, cb);
  return {
    name,
    render(variables) {
      try {
        return template.render(variables);
      } catch (error) {
        throw explain(error, name, "render");
      }
    },
  };
}

const cache = new Map<string, PromptTemplate>();
const CACHE_LIMIT = 200;

/** Renders a Jinja2 prompt string with the given variables (compiled templates are cached). */
export function renderPrompt(source: string, variables: Record<string, unknown>): string {
  let template = cache.get(source);
  if (!template) {
    template = compilePrompt(source);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(source, template);
  }
  return template.render(variables);
}
