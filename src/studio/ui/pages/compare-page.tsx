import { chartSpecs } from "../../../runs/reports/report-charts.js";
import type { ReportData } from "../../../runs/reports/report-types.js";
import { BarChart } from "../components/bar-chart.js";
import { Layout, Loading, Problem, Status } from "../components/layout.js";
import { MetricsTable } from "../components/metrics-table.js";
import { show } from "../format.js";
import { Link } from "../router.js";
import { useApi } from "../use-api.js";

/** What GET /compare answers: the report data, its lines capped, and how many lines there were. */
type Comparison = ReportData & { total_lines: number };

/** Runs (or variants) side by side: the HTML report's tables and charts, and the lines where they differ. */
export function ComparePage(props: { path: string; query: URLSearchParams }) {
  const runs = props.query.get("runs") ?? "";
  const data = useApi<Comparison>(runs ? `/compare?runs=${encodeURIComponent(runs)}` : undefined);
  const report = data.data;
  return (
    <Layout path={props.path} title="Compare runs">
      <p>
        <Link href="/runs">All runs</Link>
      </p>
      {!runs ? <p class="muted">Pick runs to compare on the runs page.</p> : null}
      {data.error ? <Problem message={data.error} /> : null}
      {runs && data.loading && !report ? <Loading /> : null}
      {report ? (
        <>
          <table>
            <caption>Runs</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Data set</th>
                <th scope="col">Status</th>
                <th scope="col">Lines completed</th>
                <th scope="col">Failed</th>
                <th scope="col">Tokens</th>
              </tr>
            </thead>
            <tbody>
              {report.runs.map((r) => (
                <tr key={r.name}>
                  <td>
                    <Link href={`/runs/${encodeURIComponent(r.name)}`}>{r.name}</Link>
                  </td>
                  <td>{r.dataset}</td>
                  <td>
                    <Status status={r.status} />
                  </td>
                  <td class="num">
                    {r.lines.completed}/{r.lines.total}
                  </td>
                  <td class="num">{r.lines.failed}</td>
                  <td class="num">{r.usage.total_tokens}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Metrics</h2>
          <MetricsTable metrics={report.metrics} datasets={report.datasets} variants={report.variants} />
          <h2>Charts</h2>
          <div class="charts">
            {chartSpecs(report).map((spec) => (
              <BarChart key={spec.title} spec={spec} />
            ))}
          </div>
          <h2>Lines</h2>
          <p class="muted">
            {report.lines.filter((l) => l.disagree).length} of {report.total_lines} lines differ between the
            runs (marked).
          </p>
          <div class="scroll">
            <table class="lines">
              <thead>
                <tr>
                  <th scope="col">Data set</th>
                  <th scope="col">Line</th>
                  <th scope="col">Inputs</th>
                  {report.variants.map((v) => (
                    <th scope="col" key={v}>
                      {v}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.lines.map((line) => (
                  <tr key={`${line.dataset}-${line.line_number}`} class={line.disagree ? "disagree" : ""}>
                    <td>{line.dataset}</td>
                    <td class="num">
                      {line.line_number}
                      {line.disagree ? <span class="visually-hidden"> (runs differ)</span> : null}
                    </td>
                    <td class="mono">{show(line.inputs, 200)}</td>
                    {report.variants.map((v) => {
                      const cell = line.variants[v];
                      return (
                        <td key={v} class="mono">
                          {!cell ? (
                            "–"
                          ) : cell.error ? (
                            <span class="problem">{cell.error}</span>
                          ) : (
                            show(cell.outputs, 200)
                          )}
                          {cell
                            ? Object.entries(cell.scores).map(([evaluator, scores]) => (
                                <div key={evaluator} class="small muted">
                                  {evaluator}: {show(scores, 120)}
                                </div>
                              ))
                            : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </Layout>
  );
}
