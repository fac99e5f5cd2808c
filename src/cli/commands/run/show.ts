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
    .option("--full", "print every cell whole (the table cuts long values, such as errors, with …)")
    .addHelpText(
      "after",
      `
Examples:
  $ flowops run show-details --name my-run
  $ flowops run show-details --name my-run --full          # errors and outputs uncut
  $ flowops run show-details --name my-run --format json   # everything, as JSON`,
    )
    .action(
      async (options: {
        name: string;
        format: string;
        maxResults: string;
        allResults?: boolean;
        full?: boolean;
      }) => {
        const limit = options.allResults ? undefined : parsePositiveInt(options.maxResults, "--max-results");
        await withRunStore(context.io.env, async (store) => {
          const lines = await showDetails(store, options.name, limit ? { limit } : {});
          if (options.format === "json") return printJson(context, lines);
          const rows = detailsRows(lines);
          context.io.stdout.write(options.full ? fullDetails(rows) : formatTable(rows));
          const cut = !options.full && rows.some((row) => row.some((c) => c.length > TABLE_CELL_WIDTH));
          if (cut) context.log("(long cells are cut with …: add --full to see them whole)");
        });
      },
    );

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

/** The table's widest cell (see formatTable). */
const TABLE_CELL_WIDTH = 60;

function detailsRows(lines: Awaited<ReturnType<typeof showDetails>>): string[][] {
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
  return [header, ...rows];
}

/** --full: one block per line, `field: value`, nothing cut (multi-line values stay multi-line). */
function fullDetails([header, ...rows]: string[][]): string {
  return rows
    .map((row) =>
      header!
        .map((name, i) => [name, row[i] ?? ""] as const)
        .filter(([name, value]) => value !== "" || name === "status")
        .map(
          ([name, value]) =>
            `${name}: ${value.includes("\n") ? `\n  ${value.replace(/\n/g, "\n  ")}` : value}`,
        )
        .join("\n"),
    )
    .join("\n\n")
    .concat("\n");
}

function cell(value: unknown): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
