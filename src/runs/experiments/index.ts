export {
  type ExperimentBatchRunner,
  type ExperimentRunRequest,
  type LocalBatchRunnerOptions,
  localBatchRunner,
} from "./batch-runner.js";
export { evaluateGates, type GateResult, type MetricRow } from "./evaluate-gates.js";
export { ExperimentValidationError, GateFailedError } from "./experiment-errors.js";
export { type ExperimentFile, experimentSchema } from "./experiment-schema.js";
export {
  type Experiment,
  type ExperimentDataset,
  type ExperimentEvaluator,
  type ExperimentVariant,
  loadExperiment,
} from "./load-experiment.js";
export { type ExperimentPlan, planExperiment } from "./plan-experiment.js";
export {
  type ExperimentResult,
  type ExperimentRunSummary,
  type RunExperimentOptions,
  runExperiment,
} from "./run-experiment.js";
