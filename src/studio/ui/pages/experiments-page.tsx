import type { GateResult as Gate } from "../../../runs/experiments/metric-types.js";
import { chartSpecs } from "../../../runs/reports/report-charts.js";
import type { ExperimentSummary } from "../../api/experiment-summary.js";
import { BarChart } from "../components/bar-chart.js";
import { Layout, Loading, Problem, Status } from "../components/layout.js";
import { type MetricRow, MetricsTable } from "../components/metrics-table.js";
import { number } from "../format.js";
import { Link } from "../router.js";
import { useApi } from "../use-api.js";

interface ExperimentDetail {
  id: string;
  name: string;
  description?: string;
  flow: string;
  datasets: string[];
  variants: string[];
  runs: {
    name: string;
    kind: string;
    dataset: string;
    variant: string;
    evaluator?: string;
    status?: string;
    lines?: { total: number; completed: number; failed: number };
  }[];
  metrics: MetricRow[];
  gates: Gate[];
  passed: boolean;
}

export function ExperimentsPage(props: { path: string }) {
  const list = useApi<{ experiments: ExperimentSummary[] }>("/experiments");
  return (
    <Layout path={props.path} title="Experiments">
      {list.error ? <Problem message={list.error} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.experiments.length === 0 ? (
        <p class="muted">No experiments: put experiment YAML files in the flows folder's experiments/.</p>
      ) : null}
      <ul class="cards">
        {list.data?.experiments.map((e) => (
          <li key={e.id} class="card">
            <h2>
              <Link href={`/experiments/${encodeURIComponent(e.id)}`}>{e.name ?? e.id}</Link>
            </h2>
            {e.description ? <p>{e.description}</p> : null}
            {e.problem ? <p class="problem">{e.problem}</p> : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** An experiment: its gates (pass/fail against the stored runs), its runs, metrics and charts. */
export function ExperimentPage(props: { path: string; id: string }) {
  const detail = useApi<ExperimentDetail>(`/experiments/${encodeURIComponent(props.id)}`);
  const data = detail.data;
  return (
    <Layout path={props.path} title={`Experiment ${data?.name ?? props.id}`}>
      <p>
        <Link href="/experiments">All experiments</Link>
      </p>
      {detail.error ? <Problem message={detail.error} /> : null}
      {detail.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          {data.description ? <p class="lead">{data.description}</p> : null}
          <p>
            Flow <Link href={`/flows/${encodeURIComponent(data.flow)}`}>{data.flow}</Link> · data sets{" "}
            {data.datasets.join(", ")} · variants {data.variants.join(", ")}
          </p>
          <h2>Gates</h2>
          {data.gates.length === 0 ? (
            <p class="muted">This experiment has no gates.</p>
          ) : (
            <>
              <p class={`banner ${data.passed ? "pass" : "fail"}`}>
                {data.passed
                  ? `All ${data.gates.length} gate checks passed`
                  : `${data.gates.filter((g) => !g.passed).length} of ${data.gates.length} gate checks failed`}
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Result</th>
                    <th scope="col">Metric</th>
                    <th scope="col">Bound</th>
                    <th scope="col">Evaluator</th>
                    <th scope="col">Data set</th>
                    <th scope="col">Variant</th>
                    <th scope="col">Actual</th>
                  </tr>
                </thead>
                <tbody>
                  {data.gates.map((g, i) => (
                    <tr key={i}>
                      <td>
                        <Status status={g.passed ? "Passed" : "Failed"} />
                      </td>
                      <td>{g.metric}</td>
                      <td>
                        {[g.min !== undefined ? `≥ ${g.min}` : "", g.max !== undefined ? `≤ ${g.max}` : ""]
                          .filter(Boolean)
                          .join(", ")}
                      </td>
                      <td>{g.evaluator}</td>
                      <td>{g.dataset}</td>
                      <td>{g.variant}</td>
                      <td class="num">{g.actual === undefined ? "not logged" : number(g.actual)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2>Runs</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Kind</th>
                <th scope="col">Data set</th>
                <th scope="col">Variant</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.runs.map((r) => (
                <tr key={r.name}>
                  <td>
                    {r.status ? <Link href={`/runs/${encodeURIComponent(r.name)}`}>{r.name}</Link> : r.name}
                  </td>
                  <td>{r.kind === "evaluation" ? `evaluation (${r.evaluator})` : "flow"}</td>
                  <td>{r.dataset}</td>
                  <td>{r.variant}</td>
                  <td>{r.status ? <Status status={r.status} /> : <span class="muted">not run yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Metrics</h2>
          <MetricsTable metrics={data.metrics} datasets={data.datasets} variants={data.variants} />
          <div class="charts">
            {chartSpecs(data).map((spec) => (
              <BarChart key={spec.title} spec={spec} />
            ))}
          </div>
        </>
      ) : null}
    </Layout>
  );
}
