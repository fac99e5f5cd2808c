// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { type Command, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { UserError } from "../../core/errors.js";
import type { FlowExecutor } from "../../core/execution-types.js";
import { loadFlowExecutor } from "../../load-flow.js";
import { usesAzureStores } from "../../registry/azure-settings.js";
import {
  type BatchProgress,
  type ConnectionLimits,
  cancelRun,
  createProgressReporter,
  DEFAULT_CONCURRENCY,
  limitModelPort,
  runBatch,
  showDetails,
  showMetrics,
  showRun,
  toRunView,
  validateColumnMapping,
} from "../../runs/index.js";
import { reportInputForRuns, writeReport } from "../../runs/reports/index.js";
import { createPythonRunner, type PythonRunner } from "../../runtimes/python/index.js";
import { RunExistsError, RunNotFoundError } from "../../stores/errors.js";
import { flowopsHome, SqliteRunStore } from "../../stores/local/sqlite-run-store.js";
import type { LineRecord, RunRecord, RunStatus, RunStore } from "../../stores/run-store.js";
import { setupTelemetry } from "../../telemetry/index.js";
import type { CliContext } from "../cli-context.js";
import { parseKeyValues } from "../parse-key-values.js";
import { ExitCode } from "../report-error.js";

/** Exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELED = 130;

/** The run store the environment selects: SQLite under FLOWOPS_HOME, or Cosmos DB with FLOWOPS_STORE=azure. */
export async function openRunStore(env: NodeJS.ProcessEnv): Promise<RunStore> {
  if (!usesAzureStores(env)) return new SqliteRunStore({ home: flowopsHome(env) });
  const { openCosmosRunStore } = await import("../../stores/azure/cosmos-run-store.js");
  return openCosmosRunStore(env);
}

/** The executors of one command's flows, and how to stop their python workers. */
export interface FlowExecutors {
  executorFor(flow: string): Promise<FlowExecutor>;
  /** Stops the python workers started for python nodes (none start for TypeScript-only flows). */
  close(): Promise<void>;
}

/**
 * Builds (once per flow folder) the executor of a flow with loadFlow's wiring, a lazily started pool
 * of `concurrency` python workers in the flow folder, and optional per-connection rate limits.
 */
export function createFlowExecutors(
  context: CliContext,
  options: { limits?: Record<string, ConnectionLimits>; concurrency?: number } = {},
): FlowExecutors {
  const executors = new Map<string, Promise<FlowExecutor>>();
  const runners: PythonRunner[] = [];
  const limits = options.limits ?? {};
  const limited = Object.keys(limits).length > 0;
  return {
    executorFor(flow) {
      const key = path.resolve(flow);
      let executor = executors.get(key);
      if (!executor) {
        const cwd = /\.ya?ml$/i.test(key) ? path.dirname(key) : key;
        const python = createPythonRunner({
          size: options.concurrency ?? DEFAULT_CONCURRENCY,
          cwd,
          env: context.io.env,
        });
        runners.push(python);
        executor = loadFlowExecutor(key, {
          env: context.io.env,
          python,
          ...(limited ? { wrapModels: (models) => limitModelPort(models, limits) } : {}),
        });
        executors.set(key, executor);
      }
      return executor;
    },
    async close() {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}

const runFileSchema = z.looseObject({
  flow: z.string().optional(),
  data: z.string().optional(),
  run: z.string().optional(),
  variant: z.string().optional(),
  name: z.string().optional(),
  display_name: z.string().optional(),
  column_mapping: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

interface CreateOptions {
  flow?: string;
  data?: string;
  columnMapping?: string[];
  run?: string;
  variant?: string;
  name?: string;
  displayName?: string;
  resumeFrom?: string;
  file?: string;
  concurrency?: string;
  lineTimeout?: string;
  stream?: boolean;
  set?: string[];
  format: "name" | "json";
}

/** `flowops run create | show | show-details | show-metrics | list | cancel | delete | visualize`. */
export function registerRunCommands(program: Command, context: CliContext): void {
  const run = program.command("run").description("batch runs of a flow over a data set (mirrors `pf run`)");
  const env = () => context.io.env;
  const withStore = async <T>(action: (store: RunStore) => Promise<T>): Promise<T> => {
    const store = await openRunStore(env());
    try {
      return await action(store);
    } finally {
      await store.close();
    }
  };

  run
    .command("create")
    .description("run a flow over every line of a data set (or resume a run); prints the run's name")
    .option("--flow <path>", "the flow folder or its flow.dag.yaml")
    .option(
      "--data <path>",
      "data: .jsonl/.csv/.tsv/.json file or folder, NAME:VERSION, or prod:ENDPOINT[:since]",
    )
    .option(
      "--column-mapping <input=value...>",
      "flow input from '${data.col}', '${run.outputs.col}', '${run.inputs.col}' or a literal",
    )
    .option("--run <name>", "base run whose lines are joined by line number (evaluation runs)")
    .option("--variant <ref>", "run with a variant of a node, e.g. '${NER_LLM.variant_1}'")
    .option("--name <name>", "the run's name (default <flow>_<variant>_<timestamp>)")
    .option("--display-name <text>", "a display name")
    .option("--resume-from <name>", "rerun only the failed or unfinished lines of this run into a new run")
    .option(
      "--file <run.yaml>",
      "promptflow's run YAML (flow, data, column_mapping, run, variant, name); options win",
    )
    .option("--concurrency <n>", "lines in flight", String(DEFAULT_CONCURRENCY))
    .option("--line-timeout <seconds>", "a line running longer fails", "600")
    .option("--stream", "print each line's result on stderr as it finishes (also under CI)")
    .option("--set <key=value...>", "connections.NAME.rpm=N / connections.NAME.tpm=N limits, tags.KEY=VALUE")
    .addOption(new Option("--format <format>", "what stdout gets").choices(["name", "json"]).default("name"))
    .addHelpText(
      "after",
      `
stdout gets only the run's name (or its JSON with --format json); progress goes to stderr: a bar on a
terminal, a line every 10 s otherwise, nothing under CI unless --stream. Ctrl-C cancels the run
(status Canceled, exit 130); resume it with --resume-from. Exits 0 when the run completed (failed
lines are counted on stderr), 1 when it failed as a whole, 2 for bad arguments.

Examples:
  $ flowops run create --flow flows/named-entity-recognition --data flows/named-entity-recognition/data/ner-test.jsonl \\
      --column-mapping text='\${data.text}' entity_type='\${data.entity_type}' --name ner-test
  $ flowops run create --flow flows/evaluators/partial-match --data flows/named-entity-recognition/data/ner-test.jsonl \\
      --run ner-test --column-mapping groundtruth='\${data.results}' prediction='\${run.outputs.entities}'
  $ flowops run create --resume-from ner-test --name ner-test-2`,
    )
    .action(async (options: CreateOptions) => {
      await withStore((store) => createRun(store, options, context));
    });

  run
    .command("show")
    .description("print a run as JSON: status, flow, data, lines, token usage, metrics, lineage")
    .requiredOption("--name <name>", "the run's name")
    .action(async (options: { name: string }) => {
      await withStore(async (store) => printJson(context, await showRun(store, options.name)));
    });

  run
    .command("show-details")
    .description("the run's lines: inputs, outputs, status and error of each")
    .requiredOption("--name <name>", "the run's name")
    .addOption(new Option("--format <format>", "table or json").choices(["table", "json"]).default("table"))
    .option("--max-results <n>", "show at most this many lines", "100")
    .option("--all-results", "show every line")
    .action(async (options: { name: string; format: string; maxResults: string; allResults?: boolean }) => {
      const limit = options.allResults ? undefined : parsePositiveInt(options.maxResults, "--max-results");
      await withStore(async (store) => {
        const lines = await showDetails(store, options.name, limit ? { limit } : {});
        if (options.format === "json") return printJson(context, lines);
        context.io.stdout.write(detailsTable(lines));
      });
    });

  run
    .command("show-metrics")
    .description("the metrics the run's aggregation nodes logged, as one JSON object")
    .requiredOption("--name <name>", "the run's name")
    .action(async (options: { name: string }) => {
      await withStore(async (store) => printJson(context, await showMetrics(store, options.name)));
    });

  const statuses: RunStatus[] = ["NotStarted", "Running", "Completed", "Failed", "Canceled"];
  run
    .command("list")
    .description("runs, newest first, as a JSON array")
    .option("--max-results <n>", "at most this many runs", "50")
    .option("--all-results", "every run")
    .addOption(new Option("--status <status>", "only runs with this status").choices(statuses))
    .action(async (options: { maxResults: string; allResults?: boolean; status?: RunStatus }) => {
      const limit = options.allResults ? undefined : parsePositiveInt(options.maxResults, "--max-results");
      await withStore(async (store) => {
        const runs = await store.listRuns({
          ...(limit ? { limit } : {}),
          ...(options.status ? { status: options.status } : {}),
        });
        printJson(
          context,
          runs.map((r) => toRunView(r)),
        );
      });
    });

  run
    .command("cancel")
    .description("cancel a running run (the process running it stops taking lines); it stays resumable")
    .requiredOption("--name <name>", "the run's name")
    .action(async (options: { name: string }) => {
      await withStore(async (store) => {
        const before = await store.getRun(options.name);
        const record = await cancelRun(store, options.name);
        if (before && before.status !== "Running" && before.status !== "NotStarted")
          context.log(`run '${options.name}' is already ${before.status}: nothing to cancel`);
        else
          context.log(
            `canceled run '${options.name}': resume it with 'flowops run create --resume-from ${options.name}'`,
          );
        printJson(context, toRunView(record));
      });
    });

  run
    .command("delete")
    .description("delete a run and its lines")
    .requiredOption("--name <name>", "the run's name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (options: { name: string; yes?: boolean }) => {
      await withStore(async (store) => {
        if (!(await store.getRun(options.name))) throw new RunNotFoundError(options.name);
        if (
          !options.yes &&
          !(await confirmOnTerminal(context, `delete run '${options.name}'? [y/N] `, "deleting a run"))
        ) {
          context.log("not deleted");
          context.exitCode = ExitCode.Usage;
          return;
        }
        await store.deleteRun(options.name);
        context.log(`deleted run '${options.name}'`);
      });
    });

  run
    .command("visualize")
    .description(
      "write a self-contained HTML report (and metrics.csv, lines.csv) comparing runs; prints its path",
    )
    .option("--name <names>", "run names, comma-separated (evaluation runs over them are included)")
    .option("--names <names>", "same as --name (promptflow's spelling)")
    .option("--output <path>", "report file (.html) or folder (default <FLOWOPS_HOME>/reports/<first run>)")
    .action(async (options: { name?: string; names?: string; output?: string }) => {
      const names = [options.name, options.names]
        .filter((n): n is string => Boolean(n))
        .flatMap((n) => n.split(","))
        .map((n) => n.trim())
        .filter(Boolean);
      if (names.length === 0)
        throw new UserError("MissingRunName", "run visualize needs runs: pass --name RUN[,RUN...].", {
          field: "--name",
        });
      const target = options.output ?? path.join(flowopsHome(env()), "reports", names[0]!);
      const isFile = /\.html?$/i.test(target);
      await withStore(async (store) => {
        const files = await writeReport(await reportInputForRuns(store, names), {
          store,
          output: isFile ? path.dirname(target) : target,
          ...(isFile ? { htmlName: path.basename(target) } : {}),
        });
        context.log(
          `wrote ${files.reportHtml}, ${path.basename(files.metricsCsv)} and ${path.basename(files.linesCsv)}`,
        );
        context.io.stdout.write(`${files.reportHtml}\n`);
      });
    });
}

async function createRun(store: RunStore, cli: CreateOptions, context: CliContext): Promise<void> {
  const options = await withRunFile(cli);
  const settings = parseSettings(options.set);
  const columnMapping = options.columnMapping
    ? parseKeyValues(options.columnMapping, "--column-mapping")
    : undefined;
  const concurrency = parsePositiveInt(options.concurrency ?? String(DEFAULT_CONCURRENCY), "--concurrency");
  const lineTimeoutSeconds = Number(options.lineTimeout ?? "600");
  if (!(lineTimeoutSeconds > 0))
    throw new UserError(
      "InvalidArgument",
      `--line-timeout '${options.lineTimeout}': give a number of seconds above 0.`,
      { field: "--line-timeout" },
    );
  if (options.name && (await store.getRun(options.name))) throw new RunExistsError(options.name);

  let flow: string;
  let variant = options.variant;
  let data: string | undefined;
  let dataVersion: string | undefined;
  if (options.resumeFrom) {
    const clashing = (["flow", "data", "run", "variant", "columnMapping"] as const).filter(
      (k) => options[k] !== undefined,
    );
    if (clashing.length > 0)
      throw new UserError(
        "InvalidArgument",
        `--resume-from reruns '${options.resumeFrom}' with its own flow, data, base run, mapping and variant: drop ${clashing.map(flag).join(", ")}.`,
        { field: "--resume-from" },
      );
    const previous = await store.getRun(options.resumeFrom);
    if (!previous) throw new RunNotFoundError(options.resumeFrom);
    flow = previous.flow;
    variant = previous.variant;
  } else {
    if (!options.flow || !options.data)
      throw new UserError(
        "InvalidArgument",
        `run create needs ${options.flow ? "" : "--flow FOLDER "}${options.data ? "" : "--data FILE "}(or --resume-from RUN, or --file run.yaml).`,
        { field: options.flow ? "--data" : "--flow" },
      );
    flow = path.resolve(options.flow);
    if (options.run && !(await store.getRun(options.run)))
      throw new UserError(
        "RunNotFound",
        `--run '${options.run}': no run of that name. List the runs with 'flowops run list'.`,
        { field: "--run" },
      );
    ({ data, dataVersion } = await resolveData(options.data, context));
  }

  const executors = createFlowExecutors(context, { limits: settings.limits, concurrency });
  try {
    await runWithExecutor(
      store,
      executors,
      {
        ...options,
        flow,
        concurrency,
        lineTimeoutSeconds,
        settings,
        variant,
        data,
        dataVersion,
        columnMapping,
      },
      context,
    );
  } finally {
    await executors.close();
  }
}

interface ResolvedCreate extends Omit<CreateOptions, "concurrency" | "flow" | "columnMapping"> {
  flow: string;
  columnMapping: Record<string, string> | undefined;
  concurrency: number;
  lineTimeoutSeconds: number;
  settings: ReturnType<typeof parseSettings>;
  dataVersion?: string | undefined;
}

async function runWithExecutor(
  store: RunStore,
  executors: FlowExecutors,
  options: ResolvedCreate,
  context: CliContext,
): Promise<void> {
  const { flow, concurrency, lineTimeoutSeconds, settings, variant, data, dataVersion, columnMapping } =
    options;
  const executor = await executors.executorFor(flow);
  if (!options.resumeFrom)
    validateColumnMapping(columnMapping, executor.definition.inputs, { hasBaseRun: Boolean(options.run) });

  const stderr = context.io.stderr as NodeJS.WriteStream;
  const reporter = createProgressReporter({
    stream: stderr,
    env: context.io.env,
    quiet: Boolean(options.stream),
  });
  const runStore = options.stream ? streamingStore(store, context) : store;
  let record: RunRecord | undefined;
  const canceled = await withStopSignal(context, async (signal) => {
    record = await runBatch({
      store: runStore,
      executor,
      flow,
      concurrency,
      lineTimeoutMs: lineTimeoutSeconds * 1000,
      signal,
      onProgress: (progress: BatchProgress) => reporter.update(progress),
      ...defined({
        data,
        dataVersion,
        run: options.run,
        columnMapping,
        variant,
        name: options.name,
        displayName: options.displayName,
        resumeFrom: options.resumeFrom,
        tags: Object.keys(settings.tags).length > 0 ? settings.tags : undefined,
      }),
    });
  }).finally(() => reporter.stop());
  await setupTelemetry({ home: flowopsHome(context.io.env), env: context.io.env })
    .flush()
    .catch((error: unknown) => context.debug(`traces not all saved: ${String(error)}`));
  reportOutcome(record!, canceled, options.format, context);
}

function reportOutcome(record: RunRecord, canceled: boolean, format: string, context: CliContext): void {
  const { name, lines } = record;
  if (format === "json") printJson(context, toRunView(record));
  else context.io.stdout.write(`${name}\n`);
  const counts = `${lines.completed}/${lines.total} lines completed, ${lines.failed} failed`;
  if (record.status === "Failed") {
    context.log(
      `error: run '${name}' failed: ${record.error?.message ?? "unknown error"} (flowops run show --name ${name} has the details; fix the cause and create the run again)`,
    );
    context.exitCode = ExitCode.Failure;
    return;
  }
  if (canceled || record.status === "Canceled") {
    context.log(
      `run '${name}' canceled (${counts}): resume it with 'flowops run create --resume-from ${name}'`,
    );
    context.exitCode = EXIT_CANCELED;
    return;
  }
  context.log(`run '${name}' ${record.status}: ${counts}`);
  if (lines.failed > 0)
    context.log(
      `${lines.failed} line${lines.failed === 1 ? "" : "s"} failed: see 'flowops run show-details --name ${name}', rerun them with 'flowops run create --resume-from ${name}'`,
    );
  if (record.error) {
    context.log(`error: run '${name}': evaluation (aggregation) failed: ${record.error.message}`);
    context.exitCode = ExitCode.Failure;
  }
}

/** `--data`: an existing file or folder, else a registered data set NAME:VERSION or prod:ENDPOINT[:since]. */
export async function resolveData(
  reference: string,
  context: CliContext,
): Promise<{ data: string; dataVersion?: string }> {
  if (existsSync(reference)) return { data: path.resolve(reference) };
  const env = context.io.env;
  // Loaded on demand: the registry and deployment stores pull in the Azure SDKs.
  const { resolveDataReference } = await import("../../deploy/resolve-data-reference.js");
  const { openDeploymentStores } = await import("../../deploy/open-deployment-stores.js");
  const { openRegistry } = await import("../../registry/open-registry.js");
  const production = reference.startsWith("prod:");
  const registry = production ? undefined : openRegistry(env);
  const deployments = production ? openDeploymentStores(env) : undefined;
  try {
    const resolved = await resolveDataReference(reference, {
      env,
      ...(registry ? { registry: registry.registry } : {}),
      ...(deployments ? { requests: deployments.requests } : {}),
    });
    context.debug(`--data ${reference} resolved to ${resolved.path}`);
    return {
      data: path.resolve(resolved.path),
      ...(resolved.version ? { dataVersion: resolved.version } : {}),
    };
  } finally {
    await registry?.close();
    await deployments?.close();
  }
}

/** Merges `--file run.yaml` under the command-line options (paths in the file are relative to it). */
async function withRunFile(options: CreateOptions): Promise<CreateOptions> {
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
      `${file}: field '${issue.path.join(".")}': ${issue.message}. A run YAML has flow, data, column_mapping, run, variant, name.`,
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
  return {
    ...defined({
      flow: relative(spec.flow),
      data: fromFile,
      run: spec.run,
      variant: spec.variant,
      name: spec.name,
      displayName: spec.display_name,
      columnMapping: mapping,
    }),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    ...(tags.length > 0 ? { set: [...tags, ...(options.set ?? [])] } : {}),
  } as CreateOptions;
}

function parseSettings(pairs: string[] | undefined): {
  limits: Record<string, ConnectionLimits>;
  tags: Record<string, string>;
} {
  const limits: Record<string, ConnectionLimits> = {};
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseKeyValues(pairs, "--set"))) {
    const limit = /^connections\.(.+)\.(rpm|tpm)$/.exec(key);
    if (limit) {
      const n = parsePositiveInt(value, `--set ${key}`);
      limits[limit[1]!] = { ...limits[limit[1]!], [limit[2] as "rpm" | "tpm"]: n };
    } else if (key.startsWith("tags.") && key.length > 5) {
      tags[key.slice(5)] = value;
    } else {
      throw new UserError(
        "InvalidArgument",
        `--set ${key}: use connections.NAME.rpm=N, connections.NAME.tpm=N or tags.KEY=VALUE.`,
        { field: "--set" },
      );
    }
  }
  return { limits, tags };
}

/** A store that also prints each line as it is written (`--stream`). */
function streamingStore(store: RunStore, context: CliContext): RunStore {
  return Object.assign(Object.create(store) as RunStore, {
    async putLine(line: LineRecord) {
      await store.putLine(line);
      const result =
        line.status === "Completed" ? JSON.stringify(line.outputs ?? {}) : (line.error?.message ?? "failed");
      context.log(`line ${line.line_number} ${line.status}${line.reused_from ? " (reused)" : ""}: ${result}`);
    },
  });
}

function detailsTable(lines: Awaited<ReturnType<typeof showDetails>>): string {
  const inputs = [...new Set(lines.flatMap((l) => Object.keys(l.inputs)))];
  const outputs = [...new Set(lines.flatMap((l) => Object.keys(l.outputs ?? {})))];
  const header = [
    "line_number",
    "status",
    ...inputs.map((k) => `inputs.${k}`),
    ...outputs.map((k) => `outputs.${k}`),
    "error",
  ];
  const rows = lines.map((l) => [
    String(l.line_number),
    l.status,
    ...inputs.map((k) => cell(l.inputs[k])),
    ...outputs.map((k) => cell(l.outputs?.[k])),
    l.error ? `${l.error.code}: ${l.error.message}` : "",
  ]);
  return formatTable([header, ...rows]);
}

function cell(value: unknown): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function defined<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Prints a value as indented JSON on stdout. */
export function printJson(context: CliContext, value: unknown): void {
  context.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A whole number >= 1 from an option, or a UserError naming the option. */
export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError("InvalidArgument", `${option} '${value}': give a whole number of 1 or more.`, {
      field: option,
    });
  return n;
}

/** Left-aligned columns separated by two spaces, a rule under the header; long cells are cut. */
export function formatTable(rows: string[][], maxWidth = 60): string {
  const cut = rows.map((row) =>
    row.map((c) => (c.length > maxWidth ? `${c.slice(0, maxWidth - 1)}…` : c).replace(/\s*\n\s*/g, " ")),
  );
  const widths = cut[0]!.map((_, i) => Math.max(...cut.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const [header, ...body] = cut;
  return `${[line(header!), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n")}\n`;
}

/**
 * Runs `action` with a signal that aborts on Ctrl-C (SIGINT) or the injected stop signal; resolves
 * whether it was stopped. The SIGINT handler is removed afterwards (a second Ctrl-C then kills).
 */
export async function withStopSignal(
  context: CliContext,
  action: (signal: AbortSignal) => Promise<void>,
): Promise<boolean> {
  const controller = new AbortController();
  const stop = () => {
    if (!controller.signal.aborted)
      context.log("stopping: canceling the lines in flight (Ctrl-C again to kill)");
    controller.abort();
  };
  const injected = context.io.signal;
  if (injected?.aborted) stop();
  injected?.addEventListener("abort", stop, { once: true });
  process.once("SIGINT", stop);
  try {
    await action(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    injected?.removeEventListener("abort", stop);
  }
  return controller.signal.aborted;
}

/** Asks on stderr and reads the answer from stdin; without a terminal, asks for --yes instead. */
async function confirmOnTerminal(context: CliContext, question: string, what: string): Promise<boolean> {
  const stdin = context.io.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
  if (!stdin.isTTY)
    throw new UserError("ConfirmationRequired", `${what} needs confirmation: add --yes.`, { field: "--yes" });
  const prompt = createInterface({ input: stdin, output: context.io.stderr as NodeJS.WritableStream });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
