import { UserError } from "../../core/errors.js";
import type { LineRecord, RunStore } from "../../stores/run-store.js";
import type { MetricRow } from "../experiments/evaluate-gates.js";
import type { ReportData, ReportInput, ReportLine, ReportRun } from "./report-types.js";

/**
 * Reads the runs a report compares from the store: their records and metrics, and every line of each
 * flow run joined (by line number) with the line outputs of the evaluation runs over it.
 */
export async function collectReportData(
  input: ReportInput,
  store: RunStore,
  now = new Date(),
): Promise<ReportData> {
  const experiment = input.experiment ?? "";
  const runs: ReportRun[] = [];
  const metrics: MetricRow[] = [];
  const lineMap = new Map<string, ReportLine>();

  for (const ref of input.runs) {
    const record = await requireRun(store, ref.name);
    runs.push({
      name: ref.name,
      dataset: ref.dataset,
      variant: ref.variant,
      status: record.status,
      lines: record.lines,
      usage: record.usage,
    });
    for (const [metric, value] of Object.entries(record.metrics ?? {})) {
      metrics.push({
        experiment,
        dataset: ref.dataset,
        variant: ref.variant,
        evaluator: "",
        metric,
        value,
        run: ref.name,
      });
    }
    const evaluations = input.evaluations.filter((e) => e.base === ref.name);
    const scoresByLine = new Map<number, Record<string, Record<string, unknown>>>();
    for (const evaluation of evaluations) {
      const evaluationRecord = await requireRun(store, evaluation.name);
      for (const [metric, value] of Object.entries(evaluationRecord.metrics ?? {})) {
        metrics.push({
          experiment,
          dataset: ref.dataset,
          variant: ref.variant,
          evaluator: evaluation.evaluator,
          metric,
          value,
          run: evaluation.name,
        });
      }
      for await (const line of store.iterateLines(evaluation.name)) {
        const scores = scoresByLine.get(line.line_number) ?? {};
        scores[evaluation.evaluator] =
          line.status === "Completed" ? (line.outputs ?? {}) : { error: errorText(line) };
        scoresByLine.set(line.line_number, scores);
      }
    }
    for await (const line of store.iterateLines(ref.name)) {
      const key = `${ref.dataset}\u0000${line.line_number}`;
      const entry = lineMap.get(key) ?? {
        dataset: ref.dataset,
        line_number: line.line_number,
        inputs: line.inputs,
        variants: {},
        disagree: false,
      };
      entry.variants[ref.variant] = {
        run: ref.name,
        status: line.status,
        ...(line.outputs ? { outputs: line.outputs } : {}),
        ...(line.error ? { error: errorText(line) } : {}),
        scores: scoresByLine.get(line.line_number) ?? {},
      };
      lineMap.set(key, entry);
    }
  }

  const datasets = unique(input.runs.map((r) => r.dataset));
  const lines = [...lineMap.values()].sort(
    (a, b) => datasets.indexOf(a.dataset) - datasets.indexOf(b.dataset) || a.line_number - b.line_number,
  );
  for (const line of lines) line.disagree = variantsDisagree(line);
  return {
    title: input.title,
    experiment,
    generated_on: now.toISOString(),
    datasets,
    variants: unique(input.runs.map((r) => r.variant)),
    columns: input.columns ?? "variants",
    evaluators: unique(input.evaluations.map((e) => e.evaluator)),
    runs,
    metrics,
    gates: input.gates ?? [],
    lines,
  };
}

function variantsDisagree(line: ReportLine): boolean {
  const views = Object.values(line.variants).map((v) =>
    canonical({ outputs: v.outputs ?? null, error: Boolean(v.error), scores: v.scores }),
  );
  return views.length > 1 && new Set(views).size > 1;
}

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

async function requireRun(store: RunStore, name: string) {
  const record = await store.getRun(name);
  if (!record)
    throw new UserError("RunNotFound", `no run named '${name}': check the name with 'flowops run list'.`);
  return record;
}

function errorText(line: LineRecord): string {
  return line.error ? `${line.error.code}: ${line.error.message}` : "failed";
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
