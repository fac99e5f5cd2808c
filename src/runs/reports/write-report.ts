import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { RunStore } from "../../stores/run-store.js";
import { collectReportData } from "./collect-report-data.js";
import { renderReportHtml } from "./render-report-html.js";
import type { ReportFiles, ReportInput } from "./report-types.js";
import { linesCsv, metricsCsv } from "./write-csv.js";

export type { ReportFiles } from "./report-types.js";

export interface WriteReportOptions {
  store: RunStore;
  /** Folder for metrics.csv, lines.csv and report.html (created when missing). */
  output: string;
  /** File name of the HTML report inside `output` (default report.html). */
  htmlName?: string;
}

/**
 * Writes `metrics.csv`, `lines.csv` and a self-contained `report.html` (Chart.js and the data
 * inline: it opens offline) comparing the given runs. Used by `flowops experiment run --output` and
 * `flowops run visualize`.
 */
export async function writeReport(input: ReportInput, options: WriteReportOptions): Promise<ReportFiles> {
  const data = await collectReportData(input, options.store);
  await mkdir(options.output, { recursive: true });
  const files: ReportFiles = {
    metricsCsv: path.resolve(options.output, "metrics.csv"),
    linesCsv: path.resolve(options.output, "lines.csv"),
    reportHtml: path.resolve(options.output, options.htmlName ?? "report.html"),
  };
  await writeFile(files.metricsCsv, metricsCsv(data));
  await writeFile(files.linesCsv, linesCsv(data));
  await writeFile(files.reportHtml, renderReportHtml(data, await chartJsSource()));
  return files;
}

let chartJs: Promise<string> | undefined;

/** The UMD build of Chart.js, read from node_modules once per process. */
function chartJsSource(): Promise<string> {
  chartJs ??= readFile(
    path.join(path.dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js"),
    "utf8",
  );
  return chartJs;
}
