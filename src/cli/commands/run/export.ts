import path from "node:path";
import type { Command } from "commander";
import { exportRun } from "../../../runs/index.js";
import type { CliContext } from "../../cli-context.js";
import { withRunStore } from "../../open-run-store.js";
import { printJson } from "../../print-json.js";

/** `flowops run export --name N --output DIR`: the run as promptflow's run output folder. */
export function registerRunExportCommand(run: Command, context: CliContext): void {
  run
    .command("export")
    .description(
      "write a run as promptflow's run output folder (flow_outputs/output.jsonl, metrics.json, ...)",
    )
    .requiredOption("--name <name>", "the run's name")
    .requiredOption("--output <folder>", "a new or empty folder to write")
    .addHelpText(
      "after",
      `
The folder has promptflow's layout (~/.promptflow/.runs/<run>): flow_outputs/output.jsonl (outputs of
completed lines, with line_number), inputs.jsonl, outputs.jsonl, metrics.json, meta.json,
flow_artifacts/ (one line-run record per line), node_artifacts/ (only for flows with aggregation
nodes, whose node outputs are kept), error.json (when lines failed) and snapshot/ (the flow folder).
stdout gets a JSON summary.

Example:
  $ flowops run export --name ner-test --output exports/ner-test`,
    )
    .action(async (options: { name: string; output: string }) => {
      await withRunStore(context.io.env, async (store) => {
        const summary = await exportRun(store, options.name, path.resolve(options.output));
        context.log(`exported run '${options.name}' (${summary.lines} lines) to ${summary.folder}`);
        printJson(context, summary);
      });
    });
}
