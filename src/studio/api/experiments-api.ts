import { readdir } from "node:fs/promises";
import path from "node:path";
import { evaluateGates, type MetricRow } from "../../runs/experiments/evaluate-gates.js";
import { loadExperiment } from "../../runs/experiments/load-experiment.js";
import { planExperiment } from "../../runs/experiments/plan-experiment.js";
import type { RunStore } from "../../stores/run-store.js";
import type { ExperimentSummary } from "./experiment-summary.js";
import { StudioNotFoundError } from "./studio-errors.js";

export type { ExperimentSummary } from "./experiment-summary.js";

/** The experiment files the studio knows: `*.yaml` in the flows folder's `experiments/`. */
async function experimentFiles(flowsRoot: string): Promise<Map<string, string>> {
  const folder = path.join(flowsRoot, "experiments");
  const files = new Map<string, string>();
  try {
    for (const name of (await readdir(folder)).sort())
      if (/\.ya?ml$/.test(name)) files.set(name.replace(/\.ya?ml$/, ""), path.join(folder, name));
  } catch {
    // no experiments folder
  }
  return files;
}

export async function listExperiments(flowsRoot: string): Promise<ExperimentSummary[]> {
  const summaries: ExperimentSummary[] = [];
  for (const [id, file] of await experimentFiles(flowsRoot)) {
    try {
      const experiment = await loadExperiment(file);
      summaries.push({
        id,
        name: experiment.name,
        ...(experiment.description ? { description: experiment.description } : {}),
      });
    } catch (error) {
      summaries.push({ id, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return summaries;
}

/**
 * An experiment page: its planned runs with what the store has of each, the metrics of the runs that
 * finished, and its gates checked against them (a gate over a run not made yet fails, as in CI).
 */
export async function experimentDetail(flowsRoot: string, store: RunStore, id: string) {
  const file = (await experimentFiles(flowsRoot)).get(id);
  if (!file)
    throw new StudioNotFoundError("experiment", id, "Experiments are the YAML files in flows/experiments.");
  const experiment = await loadExperiment(file);
  const plan = planExperiment(experiment);
  const metrics: MetricRow[] = [];
  const runs = [];
  const planned = [
    ...plan.flowRuns.map((run) => ({
      name: run.name,
      kind: "flow" as const,
      dataset: run.dataset.name,
      variant: run.variant.label,
    })),
    ...plan.evaluationRuns.map((run) => ({
      name: run.name,
      kind: "evaluation" as const,
      dataset: run.base.dataset.name,
      variant: run.base.variant.label,
      evaluator: run.evaluator.name,
      base: run.base.name,
    })),
  ];
  for (const run of planned) {
    const record = await store.getRun(run.name);
    const belongs = record?.tags?.["experiment"] === experiment.name;
    runs.push({
      ...run,
      ...(record && belongs
        ? { status: record.status, lines: record.lines, tokens: record.usage.total_tokens }
        : {}),
    });
    if (!record || !belongs) continue;
    for (const [metric, value] of Object.entries(record.metrics ?? {}))
      metrics.push({
        experiment: experiment.name,
        dataset: run.dataset,
        variant: run.variant,
        evaluator: "evaluator" in run ? run.evaluator : "",
        metric,
        value,
        run: run.name,
      });
  }
  const gates = evaluateGates(experiment.gates, plan.evaluationRuns, metrics);
  return {
    id,
    name: experiment.name,
    ...(experiment.description ? { description: experiment.description } : {}),
    flow: path.basename(experiment.flow),
    datasets: experiment.datasets.map((d) => d.name),
    variants: experiment.variants.map((v) => v.label),
    evaluators: experiment.evaluators.map((e) => e.name),
    runs,
    metrics,
    gates,
    passed: gates.every((gate) => gate.passed),
  };
}
