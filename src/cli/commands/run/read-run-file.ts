import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { UserError } from "../../../core/errors.js";
import { defined } from "./defined.js";

/** The options of `flowops run create`, as commander parses them. */
export interface CreateOptions {
  flow?: string;
  data?: string;
  columnMapping?: string[];
  run?: string;
  variant?: string;
  name?: string;
  displayName?: string;
  description?: string;
  connections?: string[];
  environmentVariables?: string[];
  resumeFrom?: string;
  file?: string;
  concurrency?: string;
  lineTimeout?: string;
  stream?: boolean;
  set?: string[];
  /** A flex class entry's init arguments: key=value pairs or one JSON file. */
  init?: string[];
  /** A run YAML's `init:` mapping (typed values, used when `--init` is not given). */
  initValues?: Record<string, unknown>;
  format: "name" | "json";
}

const runFileSchema = z.looseObject({
  flow: z.string().optional(),
  data: z.string().optional(),
  run: z.string().optional(),
  variant: z.string().optional(),
  name: z.string().optional(),
  display_name: z.string().optional(),
  description: z.string().optional(),
  connections: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  environment_variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  column_mapping: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  // promptflow's `init:` for a class entry: the values, or the path of a JSON file of them.
  init: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
});

/** Merges `--file run.yaml` under the command-line options (paths in the file are relative to it). */
export async function withRunFile(options: CreateOptions): Promise<CreateOptions> {
  if (!options.file) return options;
  const file = path.resolve(options.file);
  const text = await readFile(file, "utf8").catch((cause: unknown) => {
    throw new UserError("RunFileNotFound", `--file ${options.file}: cannot read it (${String(cause)}).`, {
      cause,
      location: { file },
    });
  });
  const parsed = runFileSchema.safeParse(parseYaml(text) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      "InvalidRunFile",
      `${file}: field '${issue.path.join(".")}': ${issue.message}. A run YAML has flow, data, column_mapping, run, variant, name, connections, environment_variables, init.`,
      {
        location: { file },
        field: issue.path.join("."),
      },
    );
  }
  const spec = parsed.data;
  const relative = (p: string | undefined) =>
    p && !/^[\w.-]+:/.test(p) ? path.resolve(path.dirname(file), p) : p;
  const fromFile = (await stat(relative(spec.data) ?? "").catch(() => undefined))
    ? relative(spec.data)
    : spec.data;
  const mapping = spec.column_mapping
    ? Object.entries(spec.column_mapping).map(
        ([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`,
      )
    : undefined;
  const tags = Object.entries(spec.tags ?? {}).map(([k, v]) => `tags.${k}=${v}`);
  const connections = Object.entries(spec.connections ?? {}).flatMap(([node, fields]) =>
    Object.entries(fields).map(([key, value]) => `${node}.${key}=${value}`),
  );
  const variables = Object.entries(spec.environment_variables ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  return {
    ...defined({
      flow: relative(spec.flow),
      data: fromFile,
      run: spec.run,
      variant: spec.variant,
      name: spec.name,
      displayName: spec.display_name,
      description: spec.description,
      columnMapping: mapping,
      connections: connections.length > 0 ? connections : undefined,
      environmentVariables: variables.length > 0 ? variables : undefined,
      init: typeof spec.init === "string" ? [path.resolve(path.dirname(file), spec.init)] : undefined,
      initValues: typeof spec.init === "object" ? spec.init : undefined,
    }),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    ...(tags.length > 0 ? { set: [...tags, ...(options.set ?? [])] } : {}),
  } as CreateOptions;
}
