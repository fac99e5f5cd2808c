import type {
  Experiment,
  ExperimentDataset,
  ExperimentEvaluator,
  ExperimentVariant,
} from "./load-experiment.js";

export interface PlannedFlowRun {
  name: string;
  dataset: ExperimentDataset;
  variant: ExperimentVariant;
}

export interface PlannedEvaluationRun {
  name: string;
  evaluator: ExperimentEvaluator;
  /** The flow run it evaluates. */
  base: PlannedFlowRun;
}

export interface ExperimentPlan {
  flowRuns: PlannedFlowRun[];
  evaluationRuns: PlannedEvaluationRun[];
}

/**
 * The runs of an experiment: one flow run per data set × variant, named
 * `<experiment>-<dataset>-<variant>`, and one evaluation run per evaluator × flow run of the data sets
 * it covers, named `<flow run>-<evaluator>`. Names are stable, so reruns replace the same runs.
 */
export function planExperiment(experiment: Experiment): ExperimentPlan {
  const flowRuns = experiment.datasets.flatMap((dataset) =>
    experiment.variants.map((variant) => ({
      name: runName(experiment.name, dataset.name, variant.label),
      dataset,
      variant,
    })),
  );
  const evaluationRuns = experiment.evaluators.flatMap((evaluator) =>
    flowRuns
      .filter((run) => evaluator.datasets.includes(run.dataset.name))
      .map((base) => ({ name: runName(base.name, evaluator.name), evaluator, base })),
  );
  return { flowRuns, evaluationRuns };
}

function runName(...parts: string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9_.-]+/g, "_")).join("-");
}
