export { canonical, collectReportData } from "./collect-report-data.js";
export { MAX_HTML_LINES, renderReportHtml } from "./render-report-html.js";
export { barChartConfig, type ChartSpec, chartSpecs } from "./report-charts.js";
export { reportInputForRuns } from "./report-input-for-runs.js";
export type {
  LineScores,
  ReportData,
  ReportFiles,
  ReportInput,
  ReportLine,
  ReportLineVariant,
  ReportRun,
} from "./report-types.js";
export { linesCsv, metricsCsv, toCsv } from "./write-csv.js";
export { type WriteReportOptions, writeReport } from "./write-report.js";
