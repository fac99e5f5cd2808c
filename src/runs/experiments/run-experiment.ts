import { UserError } from "../../core/errors.js";
import type { FlowExecutor } from "../../core/execution-types.js";
import type { RunRecord, RunStore } from "../../stores/run-store.js";
import { type ReportFiles, writeReport } from "../reports/write-report.js";
import type { BatchProgress } from "../run-batch.js";
import { type ExperimentBatchRunner, type ExperimentRunRequest, localBatchRunner } from "./batch-runner.js";
import { evaluateGates, type GateResult, type MetricRow } from "./evaluate-gates.js";
import { type Experiment, loadExperiment } from "./load-experiment.js";
import { planExperiment } from "./plan-experiment.js";

export interface RunExperimentOptions {
  store: RunStore;
  /**
   * Runs one batch run. Default: the batch engine on this machine (`localBatchRunner`), which needs
   * `executorFor`.
   */
  runBatch?: ExperimentBatchRunner;
  /** Builds a flow folder's executor, for the default runner. */
  executorFor?: (flow: string) => Promise<FlowExecutor>;
  /** Folder for metrics.csv, lines.csv and report.html; no report files when left out. */
  output?: string;
  /** Lines in flight per run; overrides the experiment's `concurrency`. */
  concurrency?: number;
  /** Turns a data asset reference `name:version` into a file path (the registry); assets fail without it. */
  resolveDataAsset?: (reference: string) => Promise<string>;
  /** Progress messages (one line each), e.g. to stderr. */
  log?: (message: string) => void;
  /** For the default runner: aborting cancels the run in progress (it stays resumable). */
  signal?: AbortSignal;
  /** For the default runner: each batch run's progress (e.g. a progress bar). */
  onProgress?: (progress: BatchProgress) => void;
}

export interface ExperimentRunSummary {
  name: string;
  kind: "flow" | "evaluation";
  dataset: string;
  variant: string;
  evaluator?: string;
  status: RunRecord["status"];
  lines: RunRecord["lines"];
}

export interface ExperimentResult {
  experiment: Experiment;
  runs: ExperimentRunSummary[];
  metrics: MetricRow[];
  gates: GateResult[];
  /** Whether every gate passed (true when there are none). */
  passed: boolean;
  /** The messages of the failed gates. */
  failures: string[];
  files?: ReportFiles;
}

/**
 * Runs an experiment: every variant over every data set, each evaluator over each of those runs,
 * then checks the gates and writes the reports. Runs are named `<experiment>-<dataset>-<variant>`
 * (and `...-<evaluator>`); a rerun replaces the experiment's earlier runs of the same names. Failed
 * gates do not throw: `passed` is false and `failures` names each (the CLI exits non-zero on it).
 */
export async function runExperiment(file: string, options: RunExperimentOptions): Promise<ExperimentResult> {
  const runBatch = options.runBatch ?? defaultRunner(options);
  const experiment = await loadExperiment(file);
  const plan = planExperiment(experiment);
  const log = options.log ?? (() => {});
  const concurrency = options.concurrency ?? experiment.concurrency;
  const tags = (extra: Record<string, string>) => ({ experiment: experiment.name, ...extra });

  const resolve = async (source: string, isAsset: boolean | undefined, field: string): Promise<string> => {
    if (!isAsset) return source;
    if (options.resolveDataAsset) return options.resolveDataAsset(source);
    throw new UserError(
      "DataAssetUnavailable",
      `${experiment.file}: ${field} names the data asset '${source}', but no registry is configured: point it at a file, or register and resolve the asset first.`,
      { location: { file: experiment.file }, field },
    );
  };
  const dataOf = new Map<string, string>();
  for (const dataset of experiment.datasets) {
    dataOf.set(
      dataset.name,
      await resolve(dataset.source, dataset.isAsset, `datasets.${dataset.name}.source`),
    );
  }
  const evaluationDataOf = new Map<string, string>();
  for (const evaluator of experiment.evaluators) {
    for (const [dataset, override] of Object.entries(evaluator.evaluationData)) {
      if (override.source === undefined) continue;
      const field = `evaluators.${evaluator.name}.datasets.${dataset}.source`;
      evaluationDataOf.set(
        `${evaluator.name}\u0000${dataset}`,
        await resolve(override.source, override.isAsset, field),
      );
    }
  }

  const runs: ExperimentRunSummary[] = [];
  const metrics: MetricRow[] = [];
  const execute = async (
    request: ExperimentRunRequest,
    summary: Omit<ExperimentRunSummary, "status" | "lines">,
  ) => {
    await clearPreviousRun(options.store, request.name, experiment.name);
    log(`${summary.kind === "flow" ? "run" : "evaluate"} ${request.name}`);
    const record = await runBatch(request);
    runs.push({ ...summary, status: record.status, lines: record.lines });
    for (const [metric, value] of Object.entries(record.metrics ?? {})) {
      metrics.push({
        experiment: experiment.name,
        dataset: summary.dataset,
        variant: summary.variant,
        evaluator: summary.evaluator ?? "",
        metric,
        value,
        run: request.name,
      });
    }
    log(
      `  ${record.status}: ${record.lines.completed}/${record.lines.total} lines completed, ${record.lines.failed} failed`,
    );
  };

  const canceled = () => {
    if (options.signal?.aborted) {
      throw new UserError(
        "ExperimentCanceled",
        `experiment '${experiment.name}' was canceled; its runs so far are kept.`,
      );
    }
  };
  for (const run of plan.flowRuns) {
    canceled();
    await execute(
      {
        name: run.name,
        flow: experiment.flow,
        data: dataOf.get(run.dataset.name)!,
        ...(run.variant.id ? { variant: run.variant.id } : {}),
        ...(run.dataset.column_mapping ? { columnMapping: run.dataset.column_mapping } : {}),
        ...(concurrency ? { concurrency } : {}),
        tags: tags({ dataset: run.dataset.name, variant: run.variant.label }),
      },
      { name: run.name, kind: "flow", dataset: run.dataset.name, variant: run.variant.label },
    );
  }
  for (const evaluation of plan.evaluationRuns) {
    canceled();
    const { base, evaluator } = evaluation;
    const mapping = evaluator.evaluationData[base.dataset.name]?.column_mapping ?? evaluator.column_mapping;
    await execute(
      {
        name: evaluation.name,
        flow: evaluator.flow,
        data:
          evaluationDataOf.get(`${evaluator.name}\u0000${base.dataset.name}`) ??
          dataOf.get(base.dataset.name)!,
        run: base.name,
        ...(mapping ? { columnMapping: mapping } : {}),
        ...(concurrency ? { concurrency } : {}),
        tags: tags({ dataset: base.dataset.name, variant: base.variant.label, evaluator: evaluator.name }),
      },
      {
        name: evaluation.name,
        kind: "evaluation",
        dataset: base.dataset.name,
        variant: base.variant.label,
        evaluator: evaluator.name,
      },
    );
  }

  const gates = evaluateGates(experiment.gates, plan.evaluationRuns, metrics);
  const failures = gates.filter((g) => !g.passed).map((g) => g.message);
  for (const gate of gates) log(`gate ${gate.passed ? "passed" : "FAILED"}: ${gate.message}`);

  const result: ExperimentResult = {
    experiment,
    runs,
    metrics,
    gates,
    passed: failures.length === 0,
    failures,
  };
  if (options.output) {
    result.files = await writeReport(
      {
        title: `Experiment ${experiment.name}`,
        experiment: experiment.name,
        runs: plan.flowRuns.map((r) => ({ name: r.name, dataset: r.dataset.name, variant: r.variant.label })),
        evaluations: plan.evaluationRuns.map((r) => ({
          name: r.name,
          base: r.base.name,
          evaluator: r.evaluator.name,
        })),
        gates,
      },
      { store: options.store, output: options.output },
    );
    log(`reports written to ${options.output}`);
  }
  return result;
}

function defaultRunner(options: RunExperimentOptions): ExperimentBatchRunner {
  if (!options.executorFor) {
    throw new UserError("MissingExecutor", "runExperiment needs `runBatch` or `executorFor` to run flows.");
  }
  return localBatchRunner({
    store: options.store,
    executorFor: options.executorFor,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** An experiment owns its run names: its own earlier run is replaced, anybody else's is an error. */
async function clearPreviousRun(store: RunStore, name: string, experiment: string): Promise<void> {
  const existing = await store.getRun(name);
  if (!existing) return;
  if (existing.tags?.["experiment"] !== experiment) {
    throw new UserError(
      "RunNameTaken",
      `the experiment '${experiment}' needs the run name '${name}', but a run of that name exists that it did not create: delete it (flowops run delete --name ${name}) or rename the experiment.`,
    );
  }
  await store.deleteRun(name);
}
