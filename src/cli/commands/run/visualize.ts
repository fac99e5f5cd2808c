import path from "node:path";
import type { Command } from "commander";
import { UserError } from "../../../core/errors.js";
import { flowopsHome } from "../../../core/flowops-home.js";
import { reportInputForRuns, writeReport } from "../../../runs/reports/index.js";
import type { CliContext } from "../../cli-context.js";
import { withRunStore } from "../../open-run-store.js";

/** `flowops run visualize --name N[,M...]`: the HTML report (and CSVs) comparing runs. */
export function registerRunVisualizeCommand(run: Command, context: CliContext): void {
  run
    .command("visualize")
    .description(
      "write a self-contained HTML report (and metrics.csv, lines.csv) comparing runs; prints its path",
    )
    .option("--name <names>", "run names, comma-separated (evaluation runs over them are included)")
    .option("--names <names>", "same as --name (promptflow's spelling)")
    .option("--output <path>", "report file (.html) or folder (default <FLOWOPS_HOME>/reports/<first run>)")
    .action(async (options: { name?: string; names?: string; output?: string }) => {
      const names = [options.name, options.names]
        .filter((n): n is string => Boolean(n))
        .flatMap((n) => n.split(","))
        .map((n) => n.trim())
        .filter(Boolean);
      if (names.length === 0)
        throw new UserError("MissingRunName", "run visualize needs runs: pass --name RUN[,RUN...].", {
          field: "--name",
        });
      const target = options.output ?? path.join(flowopsHome(context.io.env), "reports", names[0]!);
      const isFile = /\.html?$/i.test(target);
      await withRunStore(context.io.env, async (store) => {
        const files = await writeReport(await reportInputForRuns(store, names), {
          store,
          output: isFile ? path.dirname(target) : target,
          ...(isFile ? { htmlName: path.basename(target) } : {}),
        });
        context.log(
          `wrote ${files.reportHtml}, ${path.basename(files.metricsCsv)} and ${path.basename(files.linesCsv)}`,
        );
        context.io.stdout.write(`${files.reportHtml}\n`);
      });
    });
}
