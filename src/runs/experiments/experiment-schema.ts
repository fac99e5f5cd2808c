import { z } from "zod";

/**
 * The `experiment.yaml` schema, like the LLMOps template's: one flow, the variants to try, several
 * data sets (each with its column mapping), the evaluation flows to run over each flow run, and the
 * quality gates CI checks. Paths are relative to the experiment file.
 */

const name = z.string({ error: "expected a name" }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
  error: "use letters, digits, '_', '.' and '-' only (it becomes part of run names)",
});

/** Flow input → `${data.col}`, `${run.outputs.x}`, `${run.inputs.x}` or a literal. */
const columnMapping = z.record(z.string(), z.unknown(), {
  error: "expected a mapping of flow input to value",
});

const source = z.string({ error: "expected a data file path or a data asset 'name:version'" }).min(1);

export const datasetSchema = z.strictObject({
  name,
  /** A data file or folder (relative to the experiment file), or a registered data asset `name:version`. */
  source,
  description: z.string().optional(),
  column_mapping: columnMapping.optional(),
  /** The LLMOps template's name for `column_mapping`. */
  mappings: columnMapping.optional(),
});

/**
 * The LLMOps template's evaluator data set: evaluates the runs of the data set `reference`, reading
 * its own `source` (e.g. with ground truth) and mapping instead of the run's data and the evaluator's.
 */
export const evaluatorDatasetSchema = z.strictObject({
  name,
  reference: z
    .string({ error: "expected the name of the experiment data set whose runs it evaluates" })
    .min(1),
  source: source.optional(),
  description: z.string().optional(),
  column_mapping: columnMapping.optional(),
  mappings: columnMapping.optional(),
});

export const evaluatorSchema = z.strictObject({
  name,
  /** The evaluation flow folder (relative to the experiment file). */
  flow: z.string({ error: "expected the evaluation flow's folder" }).min(1),
  /** The data sets whose runs it evaluates (names, or template-style entries); all when left out. */
  datasets: z.array(z.union([z.string(), evaluatorDatasetSchema])).optional(),
  /** Evaluation flow input → `${data.col}` (the data set's row) or `${run.outputs.x}` (the flow run's line). */
  column_mapping: columnMapping.optional(),
});

export const gateSchema = z
  .strictObject({
    metric: z.string({ error: "expected the metric's name, e.g. exact_match_rate" }).min(1),
    evaluator: z.string({ error: "expected the name of the evaluator that logs the metric" }).min(1),
    min: z.number({ error: "expected a number" }).optional(),
    max: z.number({ error: "expected a number" }).optional(),
    /** Only check the runs of this data set (default: every data set the evaluator ran on). */
    dataset: z.string().optional(),
    /** Only check this variant, `${node.variant_id}` or `variant_id` (default: every variant). */
    variant: z.string().optional(),
  })
  .refine((gate) => gate.min !== undefined || gate.max !== undefined, {
    error: "a gate needs 'min', 'max' or both",
  });

export const experimentSchema = z.strictObject({
  $schema: z.string().optional(),
  name,
  description: z.string().optional(),
  /** The flow folder (relative to the experiment file). */
  flow: z.string({ error: "expected the flow's folder" }).min(1),
  /** `${node.variant_id}` entries, or `all` for every variant in the flow's node_variants. */
  variants: z.union([z.literal("all"), z.array(z.string())]).optional(),
  datasets: z
    .array(datasetSchema, { error: "expected a list of data sets" })
    .min(1, { error: "name at least one data set" }),
  evaluators: z.array(evaluatorSchema, { error: "expected a list of evaluators" }).default([]),
  gates: z.array(gateSchema, { error: "expected a list of gates" }).default([]),
  /** Connection overrides (accepted for LLMOps template compatibility; connections come from the store). */
  connections: z.array(z.record(z.string(), z.unknown())).optional(),
  /** Lines in flight per run. */
  concurrency: z.number().int().positive().optional(),
});

export type ExperimentFile = z.infer<typeof experimentSchema>;
export type DatasetConfig = z.infer<typeof datasetSchema>;
export type EvaluatorConfig = z.infer<typeof evaluatorSchema>;
export type EvaluatorDatasetConfig = z.infer<typeof evaluatorDatasetSchema>;
export type GateConfig = z.infer<typeof gateSchema>;
