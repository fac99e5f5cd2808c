import type { MetricRow } from "../../../runs/experiments/metric-types.js";
import { findMetric, metricKeys } from "../../../runs/reports/report-charts.js";
import { number } from "../format.js";

export type { MetricRow } from "../../../runs/experiments/metric-types.js";

/** Metrics side by side per data set (variants as columns, the best value marked), as the report shows them. */
export function MetricsTable(props: { metrics: MetricRow[]; datasets: string[]; variants: string[] }) {
  if (props.metrics.length === 0) return <p class="muted">No metrics were logged.</p>;
  return (
    <>
      {props.datasets.map((dataset) => {
        const keys = metricKeys(props.metrics.filter((m) => m.dataset === dataset));
        if (keys.length === 0) return null;
        return (
          <table key={dataset}>
            <caption>Data set {dataset}</caption>
            <thead>
              <tr>
                <th scope="col">Evaluator</th>
                <th scope="col">Metric</th>
                {props.variants.map((v) => (
                  <th scope="col" key={v}>
                    {v}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keys.map(({ evaluator, metric }) => {
                const values = props.variants.map(
                  (v) => findMetric(props.metrics, evaluator, metric, dataset, v)?.value,
                );
                const numbers = values.filter((v): v is number => v !== undefined);
                const best =
                  numbers.length > 1 && new Set(numbers).size > 1 ? Math.max(...numbers) : undefined;
                return (
                  <tr key={`${evaluator}-${metric}`}>
                    <td>{evaluator || "(flow)"}</td>
                    <td>{metric}</td>
                    {values.map((v, i) => (
                      <td
                        key={props.variants[i]}
                        class={`num${v !== undefined && v === best ? " best" : ""}`}
                      >
                        {v === undefined ? "–" : number(v)}
                        {v !== undefined && v === best ? <span class="visually-hidden"> (best)</span> : null}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        );
      })}
    </>
  );
}
