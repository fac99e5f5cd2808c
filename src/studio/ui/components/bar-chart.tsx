import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import { barChartConfig, type ChartSpec } from "../../../runs/reports/report-charts.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** One chart of the HTML report (the same spec and Chart.js configuration), with its values as a table too. */
export function BarChart(props: { spec: ChartSpec }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, barChartConfig(props.spec));
    return () => chart.destroy();
  }, [props.spec]);
  const { spec } = props;
  return (
    <figure class="chart">
      <figcaption>{spec.title}</figcaption>
      <div class="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={`Bar chart: ${spec.title}`} />
      </div>
    </figure>
  );
}
