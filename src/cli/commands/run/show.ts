import { type Command, Option } from "commander";
import { showDetails, showMetrics, showRun } from "../../../runs/index.js";
import type { CliContext } from "../../cli-context.js";
import { formatTable } from "../../format-table.js";
import { withRunStore } from "../../open-run-store.js";
import { parsePositiveInt } from "../../parse-positive-int.js";
import { printJson } from "../../print-json.js";

/** `flowops run show | show-details | show-metrics --name N`. */
export function registerRunShowCommands(run: Command, context: CliContext): void {
  run
    .command("show")
    .description("print a run as JSON: status, flow, data, lines, token usage, metrics, lineage")
    .requiredOption("--name <name>", "the run's name")
    .action(async (options: { name: string }) => {
      await withRunStore(context.io.env, async (store) =>
        printJson(context, await showRun(store, options.name)),
      );
    });

  run
    .command("show-details")
    .description("the run's lines: inputs, outputs, status and error of each")
    .requiredOption("--name <name>", "the run's name")
    .addOption(new Option("--format <format>", "table or json").choices(["table", "json"]).default("table"))
    .option("--max-results <n>", "show at most this many lines", "100")
    .option("--all-results", "show every line")
    .action(async (options: { name: string; format: string; maxResults: string; allResults?: boolean }) => {
      const limit = options.allResults ? undefined : parsePositiveInt(options.maxResults, "--max-results");
      await withRunStore(context.io.env, async (store) => {
        const lines = await showDetails(store, options.name, limit ? { limit } : {});
        if (options.format === "json") return printJson(context, lines);
        context.io.stdout.write(detailsTable(lines));
      });
    });

  run
    .command("show-metrics")
    .description("the metrics the run's aggregation nodes logged, as one JSON object")
    .requiredOption("--name <name>", "the run's name")
    .action(async (options: { name: string }) => {
      await withRunStore(context.io.env, async (store) =>
        printJson(context, await showMetrics(store, options.name)),
      );
    });
}

function detailsTable(lines: Awaited<ReturnType<typeof showDetails>>): string {
  const inputs = [...new Set(lines.flatMap((l) => Object.keys(l.inputs)))];
  const outputs = [...new Set(lines.flatMap((l) => Object.keys(l.outputs ?? {})))];
  const header = [
    "line_number",
    "status",
    ...inputs.map((k) => `inputs.${k}`),
    ...outputs.map((k) => `outputs.${k}`),
    "error",
  ];
  const rows = lines.map((l) => [
    String(l.line_number),
    l.status,
    ...inputs.map((k) => cell(l.inputs[k])),
    ...outputs.map((k) => cell(l.outputs?.[k])),
    l.error ? `${l.error.code}: ${l.error.message}` : "",
  ]);
  return formatTable([header, ...rows]);
}

function cell(value: unknown): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
