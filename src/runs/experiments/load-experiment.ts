import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { checkFlow } from "../../core/check-flow.js";
import type { Diagnostic } from "../../core/errors.js";
import { formatDiagnostic } from "../../core/errors.js";
import type { FlowDefinition } from "../../core/flow-definition.js";
import { formatYamlPath, type YamlPath, yamlLocator } from "../../core/yaml-locator.js";
import type { ColumnMapping } from "../column-mapping.js";
import { expandVariants } from "./expand-variants.js";
import { ExperimentValidationError } from "./experiment-errors.js";
import { experimentSchema, type GateConfig } from "./experiment-schema.js";

/** One variant the experiment runs: `${node.variant_id}`, or the flow's defaults when `id` is undefined. */
export interface ExperimentVariant {
  id: string | undefined;
  /** Short name used in run names and reports: `variant_1`, `node.variant_1`, or `default`. */
  label: string;
}

export interface ExperimentDataset {
  name: string;
  /** An absolute data file/folder path, or a data asset reference `name:version`. */
  source: string;
  isAsset: boolean;
  column_mapping?: ColumnMapping;
}

export interface ExperimentEvaluator {
  name: string;
  /** Absolute folder of the evaluation flow. */
  flow: string;
  /** The data sets whose flow runs it evaluates. */
  datasets: string[];
  column_mapping?: ColumnMapping;
  /**
   * Per data set name: evaluation data and mapping that replace the run's data set and the
   * evaluator's mapping (the LLMOps template's evaluator `datasets` entries with `reference`).
   */
  evaluationData: Record<string, { source?: string; isAsset?: boolean; column_mapping?: ColumnMapping }>;
}

/** A validated experiment, paths resolved, `all` variants expanded. */
export interface Experiment {
  file: string;
  name: string;
  description?: string;
  /** Absolute flow folder. */
  flow: string;
  variants: ExperimentVariant[];
  datasets: ExperimentDataset[];
  evaluators: ExperimentEvaluator[];
  gates: GateConfig[];
  concurrency?: number;
}

const ASSET = /^[A-Za-z0-9][A-Za-z0-9_.-]*:(\d+|latest)$/;

/**
 * Reads and checks an `experiment.yaml`: YAML syntax, the schema, unique names, that evaluators and
 * gates name known data sets/evaluators/variants, and that the flow, its variants and every file
 * exist. Throws ExperimentValidationError listing every problem with file:line and field.
 */
export async function loadExperiment(file: string): Promise<Experiment> {
  const absolute = path.resolve(file);
  const text = await readFile(absolute, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new ExperimentValidationError([
      {
        code: "ExperimentNotFound",
        message: `cannot read the experiment file (${error.code ?? error.message}).`,
        file: absolute,
      },
    ]);
  });
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ExperimentValidationError(
      document.errors.map((error) => ({
        code: "YamlSyntax",
        message: `invalid YAML: ${error.message.split("\n")[0]}`,
        file: absolute,
        line: lineCounter.linePos(error.pos[0]).line,
        column: lineCounter.linePos(error.pos[0]).col,
      })),
    );
  }
  const locate = yamlLocator(document.contents, lineCounter);
  const problem = (yamlPath: YamlPath, message: string, code = "ExperimentSchema"): Diagnostic => ({
    code,
    message,
    file: absolute,
    ...locate(yamlPath),
    ...(yamlPath.length > 0 ? { field: formatYamlPath(yamlPath) } : {}),
  });

  const parsed = experimentSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    throw new ExperimentValidationError(
      parsed.error.issues.map((issue) =>
        problem(
          issue.path.filter((p): p is string | number => typeof p !== "symbol"),
          `${issue.message}.`,
        ),
      ),
    );
  }
  const raw = parsed.data;
  const base = path.dirname(absolute);
  const diagnostics: Diagnostic[] = [];

  const flowDirectory = path.resolve(base, raw.flow);
  const flowCheck = await checkFlow(flowDirectory);
  const flow: FlowDefinition | undefined = flowCheck.definition;
  if (flowCheck.diagnostics.length > 0) {
    diagnostics.push(
      problem(
        ["flow"],
        `the flow '${raw.flow}' is not valid: ${describe(flowCheck.diagnostics)}`,
        "ExperimentFlow",
      ),
    );
  }

  for (const i of duplicates(raw.datasets.map((d) => d.name))) {
    diagnostics.push(
      problem(
        ["datasets", i, "name"],
        `data set name '${raw.datasets[i]!.name}' is used twice: give each data set its own name.`,
      ),
    );
  }
  for (const i of duplicates(raw.evaluators.map((e) => e.name))) {
    diagnostics.push(
      problem(
        ["evaluators", i, "name"],
        `evaluator name '${raw.evaluators[i]!.name}' is used twice: give each evaluator its own name.`,
      ),
    );
  }

  const datasets: ExperimentDataset[] = [];
  for (const [i, dataset] of raw.datasets.entries()) {
    const { resolved, exists, isAsset } = await resolveSource(base, dataset.source);
    if (!exists && !isAsset) {
      diagnostics.push(
        problem(
          ["datasets", i, "source"],
          `no data file or folder at '${dataset.source}' (resolved to ${resolved}): fix the path (relative to the experiment file) or name a data asset as 'name:version'.`,
        ),
      );
    }
    datasets.push({
      name: dataset.name,
      source: isAsset ? dataset.source : resolved,
      isAsset,
      ...mappingOf(dataset),
    });
  }
  const datasetNames = new Set(datasets.map((d) => d.name));

  const evaluators: ExperimentEvaluator[] = [];
  for (const [i, evaluator] of raw.evaluators.entries()) {
    const directory = path.resolve(base, evaluator.flow);
    const evaluatorCheck = await checkFlow(directory);
    if (evaluatorCheck.diagnostics.length > 0) {
      diagnostics.push(
        problem(
          ["evaluators", i, "flow"],
          `the evaluation flow '${evaluator.flow}' is not valid: ${describe(evaluatorCheck.diagnostics)}`,
          "ExperimentFlow",
        ),
      );
    }
    const names: string[] = [];
    const evaluationData: ExperimentEvaluator["evaluationData"] = {};
    for (const [j, entry] of (evaluator.datasets ?? []).entries()) {
      const name = typeof entry === "string" ? entry : entry.reference;
      const at: YamlPath =
        typeof entry === "string"
          ? ["evaluators", i, "datasets", j]
          : ["evaluators", i, "datasets", j, "reference"];
      if (!datasetNames.has(name)) {
        diagnostics.push(
          problem(at, `unknown data set '${name}': use one of ${[...datasetNames].join(", ")}.`),
        );
      }
      names.push(name);
      if (typeof entry === "string") continue;
      const override: ExperimentEvaluator["evaluationData"][string] = { ...mappingOf(entry) };
      if (entry.source !== undefined) {
        const { resolved, exists, isAsset } = await resolveSource(base, entry.source);
        if (!exists && !isAsset) {
          diagnostics.push(
            problem(
              ["evaluators", i, "datasets", j, "source"],
              `no data file or folder at '${entry.source}' (resolved to ${resolved}): fix the path (relative to the experiment file) or name a data asset as 'name:version'.`,
            ),
          );
        }
        override.source = isAsset ? entry.source : resolved;
        override.isAsset = isAsset;
      }
      evaluationData[name] = override;
    }
    evaluators.push({
      name: evaluator.name,
      flow: directory,
      datasets: evaluator.datasets ? names : datasets.map((d) => d.name),
      ...(evaluator.column_mapping ? { column_mapping: evaluator.column_mapping } : {}),
      evaluationData,
    });
  }

  const variants = flow ? expandVariants(raw.variants, flow, problem, diagnostics) : [];

  const evaluatorNames = new Set(evaluators.map((e) => e.name));
  for (const [i, gate] of raw.gates.entries()) {
    if (!evaluatorNames.has(gate.evaluator)) {
      diagnostics.push(
        problem(
          ["gates", i, "evaluator"],
          `unknown evaluator '${gate.evaluator}': use one of ${[...evaluatorNames].join(", ") || "(none defined: add evaluators)"}.`,
        ),
      );
    }
    const gateEvaluator = evaluators.find((e) => e.name === gate.evaluator);
    if (
      gate.dataset !== undefined &&
      gateEvaluator &&
      datasetNames.has(gate.dataset) &&
      !gateEvaluator.datasets.includes(gate.dataset)
    ) {
      diagnostics.push(
        problem(
          ["gates", i, "dataset"],
          `evaluator '${gate.evaluator}' does not run on data set '${gate.dataset}' (only ${gateEvaluator.datasets.join(", ")}): add it to the evaluator's datasets or change the gate.`,
        ),
      );
    }
    if (gate.dataset !== undefined && !datasetNames.has(gate.dataset)) {
      diagnostics.push(
        problem(
          ["gates", i, "dataset"],
          `unknown data set '${gate.dataset}': use one of ${[...datasetNames].join(", ")}.`,
        ),
      );
    }
    if (
      gate.variant !== undefined &&
      flow &&
      !variants.some((v) => v.id === gate.variant || v.label === gate.variant)
    ) {
      diagnostics.push(
        problem(
          ["gates", i, "variant"],
          `the experiment runs no variant '${gate.variant}': use one of ${variants.map((v) => v.label).join(", ")}.`,
        ),
      );
    }
  }

  if (diagnostics.length > 0) throw new ExperimentValidationError(diagnostics);
  return {
    file: absolute,
    name: raw.name,
    ...(raw.description ? { description: raw.description } : {}),
    flow: flowDirectory,
    variants,
    datasets,
    evaluators,
    gates: raw.gates,
    ...(raw.concurrency ? { concurrency: raw.concurrency } : {}),
  };
}

async function resolveSource(base: string, source: string) {
  const resolved = path.resolve(base, source);
  const exists = await stat(resolved).then(
    () => true,
    () => false,
  );
  return { resolved, exists, isAsset: !exists && ASSET.test(source) };
}

/** `column_mapping`, or the LLMOps template's `mappings`. */
function mappingOf(entry: {
  column_mapping?: ColumnMapping | undefined;
  mappings?: ColumnMapping | undefined;
}) {
  const mapping = entry.column_mapping ?? entry.mappings;
  return mapping ? { column_mapping: mapping } : {};
}

/** A flow's problems in one line each, the first three of them. */
function describe(problems: Diagnostic[]): string {
  const shown = problems.slice(0, 3).map(formatDiagnostic).join("; ");
  return problems.length > 3
    ? `${shown}; and ${problems.length - 3} more (run flowops flow validate)`
    : shown;
}

function duplicates(names: string[]): number[] {
  return names.flatMap((name, i) => (names.indexOf(name) !== i ? [i] : []));
}
