import path from "node:path";
import { UserError } from "../../core/errors.js";
import type { RunRecord, RunStore } from "../../stores/run-store.js";
import type { ReportInput } from "./report-types.js";

/**
 * The report input for `flowops run visualize --name A,B`: the named flow runs side by side (each
 * run is its own column, named by the run), with every evaluation run over them. A named evaluation
 * run brings in its base run. Data sets are named by their data file.
 */
export async function reportInputForRuns(store: RunStore, names: readonly string[]): Promise<ReportInput> {
  const named: RunRecord[] = [];
  for (const name of names) {
    const record = await store.getRun(name);
    if (!record)
      throw new UserError("RunNotFound", `no run named '${name}': check the name with 'flowops run list'.`, {
        field: "name",
      });
    named.push(record);
  }
  const flowRuns = new Map<string, RunRecord>();
  const evaluations = new Map<string, RunRecord>();
  for (const record of named) {
    if (record.run) {
      evaluations.set(record.name, record);
      const base = await store.getRun(record.run);
      if (base) flowRuns.set(base.name, base);
    } else {
      flowRuns.set(record.name, record);
    }
  }
  for (const record of await store.listRuns()) {
    if (record.run && flowRuns.has(record.run) && !evaluations.has(record.name))
      evaluations.set(record.name, record);
  }
  return {
    title: `Runs ${[...flowRuns.keys()].join(", ")}`,
    columns: "runs",
    runs: [...flowRuns.values()].map((r) => ({ name: r.name, dataset: datasetName(r), variant: r.name })),
    evaluations: [...evaluations.values()].map((r) => ({
      name: r.name,
      base: r.run!,
      evaluator: r.tags?.["evaluator"] ?? path.basename(r.flow),
    })),
  };
}

function datasetName(record: RunRecord): string {
  if (!record.data) return "data";
  return path.basename(record.data).replace(/\.(jsonl|json|csv|tsv)$/i, "");
}
