// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { statSync } from "node:fs";
import path from "node:path";
import { type Command, Option } from "commander";
import { type NodeOverrides, parseNodeOverrides } from "../../../core/apply-node-overrides.js";
import { UserError } from "../../../core/errors.js";
import { flowopsHome } from "../../../core/flowops-home.js";
import {
  type BatchProgress,
  createProgressReporter,
  DEFAULT_CONCURRENCY,
  runBatch,
  validateColumnMapping,
} from "../../../runs/index.js";
import { RunExistsError, RunNotFoundError } from "../../../stores/errors.js";
import type { RunRecord, RunStore } from "../../../stores/run-store.js";
import { setupTelemetry } from "../../../telemetry/index.js";
import { loadTelemetrySdk } from "../../../telemetry/setup-telemetry.js";
import { withBoundedHeapGrowth } from "../../bound-heap-growth.js";
import type { CliContext } from "../../cli-context.js";
import { createFlowExecutors, type FlowExecutors } from "../../create-flow-executors.js";
import { withRunStore } from "../../open-run-store.js";
import { parseInit } from "../../parse-init.js";
import { parseKeyValues } from "../../parse-key-values.js";
import { parsePositiveInt } from "../../parse-positive-int.js";
import { resolveData } from "../../resolve-data.js";
import { withEnvironmentVariables } from "../../with-environment-variables.js";
import { withStopSignal } from "../../with-stop-signal.js";
import { defined } from "./defined.js";
import { parseRunSettings, type RunSettings } from "./parse-run-settings.js";
import { type CreateOptions, withRunFile } from "./read-run-file.js";
import { reportOutcome } from "./report-outcome.js";
import { streamingStore } from "./streaming-store.js";

/** `flowops run create`: a flow over every line of a data set, or a resumed run. */
export function registerRunCreateCommand(run: Command, context: CliContext): void {
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
    .option("--description <text>", "a description")
    .option(
      "--connections <node.key=value...>",
      "per node: NODE.connection=NAME, or an input such as NODE.deployment_name=gpt-4o (promptflow's --connections)",
    )
    .option(
      "--environment-variables <key=value...>",
      "environment variables the flow's nodes see during the run (values are not stored)",
    )
    .option("--resume-from <name>", "rerun only the failed or unfinished lines of this run into a new run")
    .option(
      "--file <run.yaml>",
      "promptflow's run YAML (flow, data, column_mapping, run, variant, name); options win",
    )
    .option("--concurrency <n>", "lines in flight", String(DEFAULT_CONCURRENCY))
    .option("--line-timeout <seconds>", "a line running longer fails", "600")
    .option("--stream", "print each line's result on stderr as it finishes (also under CI)")
    .option(
      "--init <key=value...>",
      "a flex class entry's init arguments, or one JSON file of them (default: the flow's sample.init)",
    )
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
  $ flowops run create --flow flows/named-entity-recognition --data flows/named-entity-recognition/data/ner-test.jsonl \\
      --connections NER_LLM.connection=aoai-eastus NER_LLM.deployment_name=gpt-4o-mini --environment-variables LOG_LEVEL=debug
  $ flowops run create --resume-from ner-test --name ner-test-2`,
    )
    .action(async (options: CreateOptions) => {
      await withRunStore(context.io.env, (store) => createRun(store, options, context));
    });
}

async function createRun(store: RunStore, cli: CreateOptions, context: CliContext): Promise<void> {
  const options = await withRunFile(cli);
  const settings = parseRunSettings(options.set);
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
  let connections = options.connections
    ? parseNodeOverrides(parseKeyValues(options.connections, "--connections"))
    : undefined;
  const variables = parseKeyValues(options.environmentVariables, "--environment-variables");

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
    connections ??= previous.connections;
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

  const init = parseInit(options.init) ?? options.initValues;
  const env = { ...context.io.env, ...variables };
  // As flow serve and the local host: flow and node spans are parented explicitly, and async context
  // tracking (FLOWOPS_TRACE_CONTEXT=on to opt in) costs every promise of every line on Node 20.
  await loadTelemetrySdk();
  setupTelemetry({
    home: flowopsHome(env),
    env,
    propagateContext: /^(1|on|true|yes)$/i.test(env["FLOWOPS_TRACE_CONTEXT"] ?? ""),
  });
  const executors = createFlowExecutors(context, {
    limits: settings.limits,
    concurrency,
    env,
    ...(connections ? { overrides: connections } : {}),
    init,
    environmentVariables: variables,
    ...(data ? { imageRoots: [dataFolder(data)] } : {}),
  });
  try {
    await withEnvironmentVariables(variables, () =>
      runWithExecutor(
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
          overrides: connections,
        },
        context,
      ),
    );
  } finally {
    await executors.close();
  }
}

interface ResolvedCreate
  extends Omit<CreateOptions, "concurrency" | "flow" | "columnMapping" | "connections"> {
  flow: string;
  overrides: NodeOverrides | undefined;
  columnMapping: Record<string, string> | undefined;
  concurrency: number;
  lineTimeoutSeconds: number;
  settings: RunSettings;
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
    // Peak memory must not grow with the line count: garbage promoted while lines are in flight is
    // collected before it piles up (bound-heap-growth.ts).
    record = await withBoundedHeapGrowth(() =>
      runBatch({
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
          description: options.description,
          connections: options.overrides,
          resumeFrom: options.resumeFrom,
          tags: Object.keys(settings.tags).length > 0 ? settings.tags : undefined,
        }),
      }),
    );
  }).finally(() => reporter.stop());
  await loadTelemetrySdk();
  await setupTelemetry({ home: flowopsHome(context.io.env), env: context.io.env })
    .flush()
    .catch((error: unknown) => context.debug(`traces not all saved: ${String(error)}`));
  reportOutcome(record!, canceled, options.format, context);
}

function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The folder a data file's image paths are relative to (the data folder itself when it is one). */
function dataFolder(data: string): string {
  return statSync(data, { throwIfNoEntry: false })?.isDirectory() ? data : path.dirname(data);
}
