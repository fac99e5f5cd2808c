import type { GateResult, MetricRow } from "../experiments/evaluate-gates.js";
import { barChartConfig, chartSpecs, findMetric, metricKeys } from "./report-charts.js";
import { REPORT_CSS } from "./report-style.js";
import type { ReportData, ReportLine } from "./report-types.js";

/** The most lines the per-line table shows (disagreeing lines first); lines.csv always has all. */
export const MAX_HTML_LINES = 1000;

/**
 * A self-contained HTML report: run summary, metrics side by side per data set, a bar chart per metric
 * (variant × data set, drawn by the inlined Chart.js), the gates, and a per-line table that highlights
 * lines where variants disagree. `chartJs` is the source of Chart.js' UMD build.
 */
export function renderReportHtml(data: ReportData, chartJs: string): string {
  const gatesFailed = data.gates.filter((g) => !g.passed).length;
  const charts = chartSpecs(data);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)}</title><style>${REPORT_CSS}</style></head>
<body>
<header><h1>${esc(data.title)}</h1><p>${esc(`Generated ${data.generated_on} · ${data.runs.length} flow run(s) · data sets: ${data.datasets.join(", ")}${data.columns === "variants" ? ` · variants: ${data.variants.join(", ")}` : ""}`)}</p></header>
<main>
${data.gates.length > 0 ? `<div class="banner ${gatesFailed ? "fail" : "pass"}">${gatesFailed ? `${gatesFailed} of ${data.gates.length} gate checks failed` : `All ${data.gates.length} gate checks passed`}</div>` : ""}
<section><h2>Runs</h2>${runsTable(data)}</section>
<section><h2>Metrics</h2>${data.datasets.map((d) => metricsTable(data, d)).join("")}</section>
<section><h2>Charts</h2><div class="charts">${charts.map((c, i) => `<div class="chart"><h3>${esc(c.title)}</h3><canvas id="chart-${i}"></canvas></div>`).join("")}</div>${charts.length === 0 ? `<p class="muted">No metrics were logged.</p>` : ""}</section>
${data.gates.length > 0 ? `<section><h2>Gates</h2>${gatesTable(data.gates)}</section>` : ""}
<section><h2>Lines</h2>${linesTable(data)}</section>
</main>
<script>${chartJs.replace(/<\/script/gi, "<\\/script")}</script>
<script>
const charts = ${json(charts.map(barChartConfig))};
charts.forEach((config, i) => new Chart(document.getElementById("chart-" + i), config));
const only = document.getElementById("only-disagree");
if (only) only.addEventListener("change", () => {
  document.querySelectorAll("tr.line").forEach((row) => { row.hidden = only.checked && !row.classList.contains("disagree"); });
});
</script>
</body></html>
`;
}

function runsTable(data: ReportData): string {
  // Comparing runs, the column label is the run's own name: no separate "Variant" column.
  const variant = data.columns === "variants";
  const rows = data.runs.map(
    (r) =>
      `<tr><td class="mono">${esc(r.name)}</td><td>${esc(r.dataset)}</td>${variant ? `<td>${esc(r.variant)}</td>` : ""}<td class="${r.status === "Completed" ? "pass" : "fail"}">${esc(r.status)}</td><td class="num">${r.lines.completed}/${r.lines.total}</td><td class="num">${r.lines.failed}</td><td class="num">${r.usage.total_tokens}</td></tr>`,
  );
  return `<table><thead><tr><th>Run</th><th>Data set</th>${variant ? "<th>Variant</th>" : ""}<th>Status</th><th>Lines completed</th><th>Failed</th><th>Tokens</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function metricsTable(data: ReportData, dataset: string): string {
  const keys = metricKeys(data.metrics.filter((m) => m.dataset === dataset));
  if (keys.length === 0) return `<h3>${esc(dataset)}</h3><p class="muted">No metrics.</p>`;
  const rows = keys.map(({ evaluator, metric }) => {
    const values = data.variants.map((v) => findMetric(data.metrics, evaluator, metric, dataset, v)?.value);
    const numbers = values.filter((v): v is number => v !== undefined);
    const best = numbers.length > 1 && new Set(numbers).size > 1 ? Math.max(...numbers) : undefined;
    const cells = values.map(
      (v) =>
        `<td class="num${v !== undefined && v === best ? " best" : ""}">${v === undefined ? "–" : fmt(v)}</td>`,
    );
    return `<tr><td>${esc(evaluator || "(flow)")}</td><td>${esc(metric)}</td>${cells.join("")}</tr>`;
  });
  return `<h3>${esc(dataset)}</h3><table><thead><tr><th>Evaluator</th><th>Metric</th>${data.variants.map((v) => `<th>${esc(v)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function gatesTable(gates: GateResult[]): string {
  const rows = gates.map((g) => {
    const bounds = [g.min !== undefined ? `≥ ${g.min}` : "", g.max !== undefined ? `≤ ${g.max}` : ""]
      .filter(Boolean)
      .join(", ");
    return `<tr><td class="${g.passed ? "pass" : "fail"}">${g.passed ? "PASS" : "FAIL"}</td><td>${esc(g.metric)}</td><td>${esc(bounds)}</td><td>${esc(g.evaluator)}</td><td>${esc(g.dataset)}</td><td>${esc(g.variant)}</td><td class="num">${g.actual === undefined ? "not logged" : fmt(g.actual)}</td></tr>`;
  });
  return `<table><thead><tr><th>Result</th><th>Metric</th><th>Bound</th><th>Evaluator</th><th>Data set</th><th>Variant</th><th>Actual</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function linesTable(data: ReportData): string {
  const disagreeing = data.lines.filter((l) => l.disagree).length;
  const shown = [...data.lines.filter((l) => l.disagree), ...data.lines.filter((l) => !l.disagree)]
    .slice(0, MAX_HTML_LINES)
    .sort(
      (a, b) =>
        data.datasets.indexOf(a.dataset) - data.datasets.indexOf(b.dataset) || a.line_number - b.line_number,
    );
  const what = data.columns === "runs" ? "runs" : "variants";
  // The "differ" note and filter mean something only when there are columns to compare.
  const comparing = data.variants.length > 1;
  const more = data.lines.length > shown.length ? `; showing ${shown.length}, all are in lines.csv` : "";
  const note = comparing
    ? `${disagreeing} of ${data.lines.length} lines differ between ${what} (highlighted)${more}.`
    : `${data.lines.length} lines${more}.`;
  const filter = comparing
    ? ` <label><input type="checkbox" id="only-disagree"> show only lines where ${what} disagree</label>`
    : "";
  const rows = shown.map((line) => lineRow(data, line));
  return `<p>${esc(note)}${filter}</p>
<table><thead><tr><th>Data set</th><th>#</th><th>Inputs</th>${data.variants.map((v) => `<th>${esc(v)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function lineRow(data: ReportData, line: ReportLine): string {
  const cells = data.variants.map((variant) => {
    const v = line.variants[variant];
    if (!v) return `<td class="muted">–</td>`;
    const output = v.error
      ? `<div class="error mono">${esc(v.error)}</div>`
      : `<div class="mono">${esc(show(v.outputs))}</div>`;
    const scores = Object.entries(v.scores).flatMap(([evaluator, outputs]) =>
      Object.entries(outputs).map(([name, value]) => {
        const tone = value === 0 ? " zero" : value === 1 ? " one" : "";
        return `<span class="score${tone}" title="${esc(evaluator)}">${esc(`${name}: ${show(value)}`)}</span>`;
      }),
    );
    return `<td>${output}${scores.length ? `<div>${scores.join("")}</div>` : ""}</td>`;
  });
  return `<tr class="line${line.disagree ? " disagree" : ""}"><td>${esc(line.dataset)}</td><td class="num">${line.line_number}</td><td class="mono">${esc(show(line.inputs))}</td>${cells.join("")}</tr>`;
}

function show(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, "");
}

/** JSON safe inside a <script> element. */
function json(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
