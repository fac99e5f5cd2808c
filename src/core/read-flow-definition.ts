import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { z } from "zod";
import { type Diagnostic, FlowValidationError } from "./errors.js";
import { readFlexFlow } from "./flex/read-flex-flow.js";
import type { FlowDefinition } from "./flow-definition.js";
import { rawFlowSchema } from "./flow-schema.js";
import { attachLocator, formatYamlPath, type Locate } from "./flow-source-map.js";
import { normalizeFlow } from "./normalize-flow.js";
import { readPromptyFlow } from "./prompty/read-prompty-flow.js";
import { yamlLocator } from "./yaml-locator.js";

const FLOW_FILE_NAMES = ["flow.dag.yaml", "flow.dag.yml"];
const FLEX_FILE_NAMES = ["flow.flex.yaml", "flow.flex.yml"];

/**
 * Reads a Prompt Flow `flow.dag.yaml` into a FlowDefinition. `source` is a flow folder (holding
 * `flow.dag.yaml` or `flow.dag.yml`, else `flow.flex.yaml`) or the YAML file itself; a `.prompty`
 * file or a `flow.flex.yaml` is read as a one-node flow (see src/core/prompty and src/core/flex). YAML syntax errors and shape errors
 * (a list where a mapping belongs...) throw a FlowValidationError whose diagnostics carry
 * file:line:column. The result is normalised (absolute paths, defaults filled in) but not yet checked
 * for meaning: run `validateFlow` (or use `checkFlow`/`loadFlowDefinition`) before trusting it.
 */
export async function readFlowDefinition(
  source: string,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<FlowDefinition> {
  const file = await findFlowFile(source);
  // A prompty's `${env:VAR}` (deployment, input defaults) are read from `env` (default process.env).
  if (file.endsWith(".prompty")) return readPromptyFlow(file, options.env ? { env: options.env } : {});
  if (/\.flex\.ya?ml$/i.test(file)) return readFlexFlow(file);
  const text = await readFile(file, "utf8");
  // A YAML with an `entry:` and no `nodes:` is a flex flow whatever its name (promptflow's older
  // `flow.dag.yaml` flex flows, `pf flow test --flow other.yaml`).
  if (/^entry\s*:/m.test(text) && !/^nodes\s*:/m.test(text)) return readFlexFlow(file);
  rejectMixedFlowKinds(text, file);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: true });

  if (document.errors.length > 0) {
    throw new FlowValidationError(
      [...document.errors].sort(byPosition).map((error) => {
        const at = error.linePos?.[0];
        return {
          code: "YamlSyntax",
          message: `invalid YAML: ${firstLine(error.message)}. Fix the YAML syntax at this position (indentation, quoting, a ':' after each key).`,
          file,
          ...(at ? { line: at.line, column: at.col } : {}),
        };
      }),
    );
  }

  const locate: Locate = yamlLocator(document.contents, lineCounter);

  const parsed = rawFlowSchema.safeParse(document.toJS({ maxAliasCount: 1000 }) ?? {});
  if (!parsed.success) throw new FlowValidationError(schemaDiagnostics(parsed.error, file, locate));

  const definition = normalizeFlow(parsed.data, { file, directory: path.dirname(file), locate });
  attachLocator(definition, locate);
  return definition;
}

/**
 * promptflow refuses a YAML that mixes a flex flow's `entry` with a DAG's `nodes`, and its early flex
 * format (`path: file.py` beside `entry: function`, no nodes): say which, and what to write instead.
 */
function rejectMixedFlowKinds(text: string, file: string): void {
  const has = (key: string) => new RegExp(`^${key}\\s*:`, "m").test(text);
  if (has("entry") && has("nodes")) {
    throw new FlowValidationError([
      {
        code: "FlowKindAmbiguous",
        message:
          "the YAML has both 'entry' (a flex flow) and 'nodes' (a DAG flow): keep 'entry: module:function' in a flow.flex.yaml, or the nodes in a flow.dag.yaml.",
        file,
        field: "nodes",
      },
    ]);
  }
  if (has("path") && !has("nodes")) {
    throw new FlowValidationError([
      {
        code: "FlexPathNotSupported",
        message:
          "'path' is not a flow field (promptflow's early flex flows named the file in 'path'): write 'entry: module:function' (the file without .py, a colon, the function) in a flow.flex.yaml, or add the DAG's 'nodes'.",
        file,
        field: "path",
      },
    ]);
  }
}

async function findFlowFile(source: string): Promise<string> {
  const absolute = path.resolve(source);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    throw new FlowValidationError([
      {
        code: "FlowNotFound",
        message: `no flow at '${source}': give a flow folder containing flow.dag.yaml, or the path of the YAML file.`,
        file: absolute,
      },
    ]);
  }
  if (!info.isDirectory()) return absolute;
  for (const name of FLOW_FILE_NAMES) {
    const candidate = path.join(absolute, name);
    if (await stat(candidate).catch(() => undefined)) return candidate;
  }
  for (const name of FLEX_FILE_NAMES) {
    const candidate = path.join(absolute, name);
    if (await stat(candidate).catch(() => undefined)) return candidate;
  }
  throw new FlowValidationError([
    {
      code: "FlowNotFound",
      message: `the folder '${source}' has no flow.dag.yaml (or flow.dag.yml, or flow.flex.yaml): create one, or point at the flow's YAML or .prompty file itself.`,
      file: absolute,
    },
  ]);
}

function schemaDiagnostics(error: z.ZodError, file: string, locate: Locate): Diagnostic[] {
  return error.issues.map((issue) => {
    const yamlPath = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const at = locate(yamlPath);
    const field = yamlPath.length > 0 ? formatYamlPath(yamlPath) : undefined;
    return {
      code: "FlowSchema",
      message: `${issue.message}.`,
      file,
      ...(at ? { line: at.line, column: at.column } : {}),
      ...(field ? { field } : {}),
    };
  });
}

function byPosition(a: YAMLError, b: YAMLError): number {
  return a.pos[0] - b.pos[0];
}

function firstLine(text: string): string {
  return text
    .split("\n")[0]!
    .replace(/ at line \d+, column \d+:?$/, "")
    .replace(/\.$/, "");
}
