import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FlowExecutor } from "../core/execution-types.js";
import { runBatch } from "../runs/run-batch.js";
import type { RunStore } from "../stores/run-store.js";
import type { EvaluateVersion } from "./compare-endpoint.js";
import { toProductionRow } from "./production-data.js";

export interface EvaluateProductionOptions {
  store: RunStore;
  /** The evaluator flow folder. */
  evaluator: string;
  executor: (flow: string) => Promise<FlowExecutor>;
  endpoint: string;
  /** `input=${data.outputs.x}`...; default: each evaluator input from the outputs, else the inputs, of the same name. */
  columnMapping?: Record<string, string>;
  /** Where the per-version data snapshots are written. */
  workDir: string;
  /** Run name prefix; default `compare-<endpoint>-<timestamp>`. */
  runPrefix?: string;
}

/**
 * The `evaluate` of compareEndpoint as batch runs: one evaluation run per version over that
 * version's logged requests (rows `{inputs, outputs, version, ...}`), recorded in the run store with
 * `data_version = prod:<endpoint>` and tags `endpoint`, `flow_version`, so they show in `run list`.
 */
export function evaluateProductionWith(options: EvaluateProductionOptions): EvaluateVersion {
  const prefix = options.runPrefix ?? `compare-${options.endpoint}-${Date.now()}`;
  return async (version, records) => {
    const rows = records.map(toProductionRow);
    const safe = version.replace(/[^A-Za-z0-9._-]/g, "_");
    await mkdir(options.workDir, { recursive: true });
    const data = path.join(options.workDir, `${prefix}-${safe}.jsonl`);
    await writeFile(data, `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`);
    const executor = await options.executor(options.evaluator);
    const mapping = options.columnMapping ?? defaultMapping(executor, rows[0]);
    const run = await runBatch({
      store: options.store,
      executor,
      flow: options.evaluator,
      data,
      columnMapping: mapping,
      name: `${prefix}-${safe}`,
      tags: { endpoint: options.endpoint, flow_version: version },
      flowVersion: undefined,
      dataVersion: `prod:${options.endpoint}`,
    });
    return { run: run.name, metrics: run.metrics ?? {} };
  };
}

function defaultMapping(
  executor: FlowExecutor,
  row: { inputs: Record<string, unknown>; outputs: Record<string, unknown> } | undefined,
): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const name of Object.keys(executor.definition.inputs)) {
    if (row && name in row.outputs) mapping[name] = `\${data.outputs.${name}}`;
    else if (row && name in row.inputs) mapping[name] = `\${data.inputs.${name}}`;
  }
  return mapping;
}
