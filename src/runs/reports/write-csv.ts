import type { ReportData } from "./report-types.js";

/** `metrics.csv`: one row per run × metric. */
export function metricsCsv(data: ReportData): string {
  const header = ["experiment", "dataset", "variant", "evaluator", "metric", "value", "run"];
  return toCsv(
    header,
    data.metrics.map((m) => [m.experiment, m.dataset, m.variant, m.evaluator, m.metric, m.value, m.run]),
  );
}

/**
 * `lines.csv`: one row per data line per variant: the line's inputs and outputs (JSON), its error,
 * one column per evaluator line output (`<evaluator>.<output>`), and whether the variants disagree.
 */
export function linesCsv(data: ReportData): string {
  const scoreColumns: string[] = [];
  for (const line of data.lines) {
    for (const variant of Object.values(line.variants)) {
      for (const [evaluator, outputs] of Object.entries(variant.scores)) {
        for (const output of Object.keys(outputs)) {
          const column = `${evaluator}.${output}`;
          if (!scoreColumns.includes(column)) scoreColumns.push(column);
        }
      }
    }
  }
  const header = [
    "experiment",
    "dataset",
    "variant",
    "run",
    "line_number",
    "status",
    "inputs",
    "outputs",
    "error",
    ...scoreColumns,
    "variants_disagree",
  ];
  const rows = data.lines.flatMap((line) =>
    data.variants
      .filter((variant) => line.variants[variant])
      .map((variant) => {
        const v = line.variants[variant]!;
        const scores = scoreColumns.map((column) => {
          const dot = column.indexOf(".");
          return v.scores[column.slice(0, dot)]?.[column.slice(dot + 1)];
        });
        return [
          data.experiment,
          line.dataset,
          variant,
          v.run,
          line.line_number,
          v.status,
          JSON.stringify(line.inputs),
          v.outputs === undefined ? "" : JSON.stringify(v.outputs),
          v.error ?? "",
          ...scores,
          line.disagree,
        ];
      }),
  );
  return toCsv(header, rows);
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; objects as JSON. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

function field(value: unknown): string {
  const text =
    value === undefined || value === null
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
