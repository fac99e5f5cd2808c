import nunjucks from "nunjucks";
import { UserError } from "./errors.js";
import { guardedRuntime, promptEnvironment, withValueEscaping } from "./prompt-environment.js";

/** A Jinja2 prompt compiled once, rendered per line. */
export interface PromptTemplate {
  /** Where the template came from (a file path or a label), for messages. */
  readonly name: string;
  /** The Jinja2 source it was compiled from. */
  readonly source: string;
  render(variables: Record<string, unknown>): string;
  /**
   * Renders a chat prompt: every printed value has its role markers and message keys escaped
   * (role-escape.ts) except the `trusted` texts (prompt-node results, escaped when they rendered);
   * `parseChatPrompt` restores them inside the messages.
   */
  renderChat(variables: Record<string, unknown>, trusted?: ReadonlySet<string>): string;
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
 * Jinja2's `trim_blocks` also drops the newline right after a comment (`{# ... #}`); nunjucks' only
 * after block tags. promptflow's templates often open with a comment line, which would otherwise leave
 * a leading newline in the prompt. Comments do not nest, so the first `#}` ends each one.
 */
function trimAfterComments(source: string): string {
  return source.includes("{#") ? source.replace(/(\{#[\s\S]*?#\})\r?\n/g, "$1") : source;
}

/**
 * Compiles a Jinja2 prompt (nunjucks, in the host-isolated environment of prompt-environment.ts:
 * no file system, no prototype access, autoescape off, `trim_blocks` on as promptflow renders).
 * Syntax errors are thrown here, naming the template.
 */
export function compilePrompt(source: string, name = "<prompt>"): PromptTemplate {
  let template: nunjucks.Template;
  try {
    template = new nunjucks.Template(trimAfterComments(source), promptEnvironment(), name, true);
  } catch (error) {
    throw explain(error, name, "compile");
  }
  const compiled = template as unknown as CompiledTemplate;
  const root = compiled.rootRenderFunc;
  compiled.rootRenderFunc = (env, context, frame, _runtime, cb) =>
    root(env, context, frame, guardedRuntime, cb);
  const render = (variables: Record<string, unknown>): string => {
    try {
      return template.render(variables);
    } catch (error) {
      throw explain(error, name, "render");
    }
  };
  return {
    name,
    source,
    render,
    renderChat: (variables, trusted = NONE) => withValueEscaping(trusted, () => render(variables)),
  };
}

const NONE: ReadonlySet<string> = new Set();
const cache = new Map<string, PromptTemplate>();
const CACHE_LIMIT = 200;

function cached(source: string): PromptTemplate {
  let template = cache.get(source);
  if (!template) {
    template = compilePrompt(source);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(source, template);
  }
  return template;
}

/** Renders a Jinja2 prompt string with the given variables (compiled templates are cached). */
export function renderPrompt(source: string, variables: Record<string, unknown>): string {
  return cached(source).render(variables);
}

/** Renders a chat prompt string with its values escaped (PromptTemplate.renderChat), cached. */
export function renderChatPrompt(source: string, variables: Record<string, unknown>): string {
  return cached(source).renderChat(variables);
}
