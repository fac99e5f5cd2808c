import { access, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { flowopsHome } from "../../core/flowops-home.js";
import { GATES_FILE } from "../../registry/read-experiment-gates.js";
import {
  type ExperimentResult,
  loadExperiment,
  localBatchRunner,
  runExperiment,
} from "../../runs/experiments/index.js";
import { type BatchProgress, createProgressReporter, type ProgressReporter } from "../../runs/index.js";
import { setupTelemetry } from "../../telemetry/index.js";
import { loadTelemetrySdk } from "../../telemetry/setup-telemetry.js";
import type { CliContext } from "../cli-context.js";
import { createFlowExecutors } from "../create-flow-executors.js";
import { formatTable } from "../format-table.js";
import { openRunStore } from "../open-run-store.js";
import { parsePositiveInt } from "../parse-positive-int.js";
import { ExitCode } from "../report-error.js";
import { resolveData } from "../resolve-data.js";
import { EXIT_CANCELED, withStopSignal } from "../with-stop-signal.js";

/** `flowops experiment run FILE`. */
export function registerExperimentCommands(program: Command, context: CliContext): void {
  const experiment = program
    .command("experiment")
    .description("experiments: a flow's variants × data sets × evaluators, with quality gates");

  experiment
    .command("run")
    .description("run an experiment, write its reports, check its gates; prints the output folder")
    .argument("<file>", "the experiment YAML")
    .option(
      "--output <dir>",
      "folder for metrics.csv, lines.csv, report.html and gates.json (default <FLOWOPS_HOME>/reports/<file name>)",
    )
    .option("--concurrency <n>", "lines in flight per run (overrides the file's concurrency)")
    .addHelpText(
      "after",
      `
stdout gets the output folder; the runs' progress and a metrics table go to stderr. Exits 1 naming
each failed gate (so CI can block a merge), 2 when the experiment file is invalid, 130 on Ctrl-C.
The default output folder is <FLOWOPS_HOME>/reports/<experiment file name> (as 'run visualize'), so
nothing lands in your working tree unless you ask for it with --output.

Example:
  $ flowops experiment run flows/experiments/ner-experiment.yaml --output .flowops/tour/ner-experiment`,
    )
    .action(async (file: string, options: { output?: string; concurrency?: string }) => {
      const concurrency = options.concurrency
        ? parsePositiveInt(options.concurrency, "--concurrency")
        : undefined;
      const output = path.resolve(
        options.output ||
          path.join(flowopsHome(context.io.env), "reports", path.basename(file).replace(/\.ya?ml$/i, "")),
      );
      const store = await openRunStore(context.io.env);
      const executors = createFlowExecutors(context, {
        ...(concurrency ? { concurrency } : {}),
        imageRoots: await dataFolders(file),
      });
      const progress = perRunProgress(context);
      let result: ExperimentResult | undefined;
      try {
        const canceled = await withStopSignal(context, async (signal) => {
          result = await runExperiment(path.resolve(file), {
            store,
            output,
            runBatch: localBatchRunner({
              store,
              executorFor: executors.executorFor,
              signal,
              onProgress: progress.update,
            }),
            resolveDataAsset: async (reference) => (await resolveData(reference, context)).data,
            log: (message) => {
              progress.stop();
              context.log(message);
            },
            ...(concurrency ? { concurrency } : {}),
          });
        });
        progress.stop();
        if (canceled) {
          context.log("experiment canceled: its runs stay resumable (flowops run create --resume-from NAME)");
          context.exitCode = EXIT_CANCELED;
          return;
        }
      } finally {
        progress.stop();
        await executors.close();
        await store.close();
        await loadTelemetrySdk();
        await setupTelemetry({ home: flowopsHome(context.io.env), env: context.io.env })
          .flush()
          .catch((error: unknown) => context.debug(`traces not all saved: ${String(error)}`));
      }
      await reportResult(result!, output, context);
    });
}

async function reportResult(result: ExperimentResult, output: string, context: CliContext): Promise<void> {
  // The gate results for `flowops registry ... --if-gates-pass`, unless the experiments module wrote them.
  const gatesFile = path.join(output, GATES_FILE);
  if (
    !(await access(gatesFile)
      .then(() => true)
      .catch(() => false))
  ) {
    await writeFile(
      gatesFile,
      `${JSON.stringify({ passed: result.passed, gates: result.gates }, null, 2)}\n`,
    );
  }
  if (result.metrics.length > 0) {
    const rows = result.metrics.map((m) => [
      m.dataset,
      m.variant,
      m.evaluator,
      m.metric,
      formatValue(m.value),
    ]);
    context.io.stderr.write(formatTable([["dataset", "variant", "evaluator", "metric", "value"], ...rows]));
  } else {
    context.log("no metrics: the experiment has no evaluators, or they logged none");
  }
  const failedRuns = result.runs.filter((r) => r.status !== "Completed" || r.lines.failed > 0);
  for (const run of failedRuns)
    context.log(
      `run '${run.name}': ${run.status}, ${run.lines.failed} of ${run.lines.total} lines failed (flowops run show-details --name ${run.name})`,
    );
  context.io.stdout.write(`${output}\n`);
  if (!result.passed) {
    context.log(
      `error: experiment '${result.experiment.name}': ${result.failures.length} quality gate${result.failures.length === 1 ? "" : "s"} failed:`,
    );
    for (const failure of result.failures) context.log(`  - ${failure}`);
    context.exitCode = ExitCode.Failure;
  } else if (result.gates.length > 0) {
    context.log(`all ${result.gates.length} quality gates passed`);
  }
  if (result.runs.some((r) => r.status === "Failed")) context.exitCode = ExitCode.Failure;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

/** One progress display per batch run (the experiment's runs go one after another). */
function perRunProgress(context: CliContext): { update(p: BatchProgress): void; stop(): void } {
  let current: { run: string; reporter: ProgressReporter } | undefined;
  const stop = () => {
    current?.reporter.stop();
    current = undefined;
  };
  return {
    update: (progress) => {
      if (current?.run !== progress.run) {
        stop();
        const reporter = createProgressReporter({
          stream: context.io.stderr as NodeJS.WriteStream,
          env: context.io.env,
        });
        current = { run: progress.run, reporter };
      }
      current.reporter.update(progress);
    },
    stop,
  };
}

/** The folders of an experiment's data files (image paths in them are read from there), best effort. */
async function dataFolders(file: string): Promise<string[]> {
  const experiment = await loadExperiment(path.resolve(file)).catch(() => undefined);
  const folders: string[] = [];
  for (const dataset of experiment?.datasets ?? []) {
    if (dataset.isAsset) continue;
    const info = await stat(dataset.source).catch(() => undefined);
    if (info) folders.push(info.isDirectory() ? dataset.source : path.dirname(dataset.source));
  }
  return folders;
}
