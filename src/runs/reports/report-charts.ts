/**
 * The charts of a comparison, shared by the static HTML report and the studio (which bundles this
 * module for the browser: it must stay free of Node imports).
 */

/** What the charts read of a metric row. */
export interface ChartMetric {
  /** Empty for metrics the flow itself logged. */
  evaluator: string;
  metric: string;
  dataset: string;
  variant: string;
  value: number;
}

/** The metrics of a comparison, with its data sets (x axis) and variants (series). */
export interface ChartData {
  metrics: readonly ChartMetric[];
  datasets: readonly string[];
  variants: readonly string[];
}

export interface ChartSpec {
  title: string;
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
}

/** The report's palette: distinguishable, and readable on white. */
export const CHART_PALETTE = [
  "#1570ef",
  "#f79009",
  "#12b76a",
  "#7a5af8",
  "#f04438",
  "#0ba5ec",
  "#ee46bc",
  "#667085",
];

/** One chart per evaluator metric: data sets on the x axis, one bar series per variant. */
export function chartSpecs(data: ChartData): ChartSpec[] {
  return metricKeys(data.metrics).map(({ evaluator, metric }) => ({
    title: evaluator ? `${evaluator} · ${metric}` : metric,
    labels: [...data.datasets],
    series: data.variants.map((variant) => ({
      label: variant,
      values: data.datasets.map(
        (dataset) => findMetric(data.metrics, evaluator, metric, dataset, variant)?.value ?? null,
      ),
    })),
  }));
}

/** The Chart.js configuration of one chart (a grouped bar chart, no animation, legend below). */
export function barChartConfig(spec: ChartSpec) {
  return {
    type: "bar" as const,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, index) => ({
        label: series.label,
        data: series.values,
        backgroundColor: CHART_PALETTE[index % CHART_PALETTE.length],
      })),
    },
    options: {
      animation: false as const,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { position: "bottom" as const }, title: { display: false, text: spec.title } },
    },
  };
}

/** The distinct (evaluator, metric) pairs, in first-seen order. */
export function metricKeys(metrics: readonly ChartMetric[]): { evaluator: string; metric: string }[] {
  const seen = new Map<string, { evaluator: string; metric: string }>();
  for (const m of metrics)
    seen.set(`${m.evaluator}\u0000${m.metric}`, { evaluator: m.evaluator, metric: m.metric });
  return [...seen.values()];
}

export function findMetric<T extends ChartMetric>(
  metrics: readonly T[],
  evaluator: string,
  metric: string,
  dataset: string,
  variant: string,
): T | undefined {
  return metrics.find(
    (m) => m.evaluator === evaluator && m.metric === metric && m.dataset === dataset && m.variant === variant,
  );
}
