import { useEffect, useState } from "preact/hooks";
import type { LineRecord } from "../../../stores/run-store.js";
import { Layout, Loading, Pager, Problem, Status } from "../components/layout.js";
import { dateTime, duration, number, show } from "../format.js";
import { Link, navigate } from "../router.js";
import { useApi } from "../use-api.js";
import type { RunSummary } from "./runs-page.js";

interface RunDetail {
  run: RunSummary;
  column_mapping?: Record<string, string>;
  error?: { code: string; message: string };
  tags?: Record<string, string>;
  evaluations: RunSummary[];
}

/** A line as GET /runs/NAME/lines answers it (node outputs left out). */
type Line = Omit<LineRecord, "node_outputs">;

const PAGE = 50;

/** A run: its summary, metrics, evaluation runs, and its lines (filterable to the failed ones). */
export function RunPage(props: { path: string; name: string; query: URLSearchParams }) {
  const name = props.name;
  const offset = Number(props.query.get("offset") ?? 0) || 0;
  const failedOnly = props.query.get("status") === "Failed";
  // Live while the run is running: the summary and the lines are fetched again every 3 s.
  const [live, setLive] = useState(true);
  const detail = useApi<RunDetail>(`/runs/${encodeURIComponent(name)}`, { poll: live ? 3000 : 0 });
  const status = detail.data?.run.status;
  useEffect(() => {
    if (status) setLive(status === "Running" || status === "NotStarted");
  }, [status]);
  const lineQuery = new URLSearchParams({
    offset: String(offset),
    limit: String(PAGE),
    ...(failedOnly ? { status: "Failed" } : {}),
  });
  const running = live && status !== undefined;
  const lines = useApi<{ lines: Line[]; more: boolean }>(
    `/runs/${encodeURIComponent(name)}/lines?${lineQuery}`,
    {
      poll: running ? 3000 : 0,
    },
  );
  const base = `/runs/${encodeURIComponent(name)}`;
  const run = detail.data?.run;
  const compared = run ? [run.run ?? run.name] : [];
  return (
    <Layout path={props.path} title={`Run ${name}`}>
      <p>
        <Link href="/runs">All runs</Link>
        {run?.run ? (
          <>
            {" · evaluates "}
            <Link href={`/runs/${encodeURIComponent(run.run)}`}>{run.run}</Link>
          </>
        ) : null}
        {run ? (
          <>
            {" · "}
            <Link href={`/compare?runs=${compared.map(encodeURIComponent).join(",")}`}>Compare</Link>
          </>
        ) : null}
      </p>
      {detail.error ? <Problem message={detail.error} /> : null}
      {detail.loading && !detail.data ? <Loading /> : null}
      {run && detail.data ? (
        <>
          <dl class="summary">
            <div>
              <dt>Status</dt>
              <dd>
                <Status status={run.status} />
              </dd>
            </div>
            <div>
              <dt>Progress</dt>
              <dd>
                <progress max={1} value={run.progress} aria-label="Progress" />{" "}
                {Math.round(run.progress * 100)}%
              </dd>
            </div>
            <div>
              <dt>Lines</dt>
              <dd>
                {run.lines.completed} completed, {run.lines.failed} failed, {run.lines.total} in all
              </dd>
            </div>
            <div>
              <dt>Tokens</dt>
              <dd>{run.tokens}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd>{duration(run.duration_ms)}</dd>
            </div>
            <div>
              <dt>Flow</dt>
              <dd>{run.flow}</dd>
            </div>
            <div>
              <dt>Data</dt>
              <dd>{run.data ?? "–"}</dd>
            </div>
            <div>
              <dt>Variant</dt>
              <dd>{run.variant ?? "default"}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{dateTime(run.created_on)}</dd>
            </div>
            {run.experiment ? (
              <div>
                <dt>Experiment</dt>
                <dd>{run.experiment}</dd>
              </div>
            ) : null}
          </dl>
          {detail.data.error ? <Problem message={detail.data.error.message} /> : null}
          <section aria-labelledby="metrics-heading">
            <h2 id="metrics-heading">Metrics</h2>
            {run.metrics ? (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(run.metrics).map(([metric, value]) => (
                    <tr key={metric}>
                      <td>{metric}</td>
                      <td class="num">{number(value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">This run logged no metrics.</p>
            )}
          </section>
          <section aria-labelledby="evaluations-heading">
            <h2 id="evaluations-heading">Evaluation runs</h2>
            {detail.data.evaluations.length === 0 ? (
              <p class="muted">No evaluation run reads this run.</p>
            ) : null}
            <ul class="plain">
              {detail.data.evaluations.map((evaluation) => (
                <li key={evaluation.name}>
                  <Link href={`/runs/${encodeURIComponent(evaluation.name)}`}>{evaluation.name}</Link>{" "}
                  <Status status={evaluation.status} />{" "}
                  <span class="muted">
                    {Object.entries(evaluation.metrics ?? {})
                      .map(([m, v]) => `${m} = ${number(v)}`)
                      .join(", ")}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
      <section aria-labelledby="lines-heading">
        <h2 id="lines-heading">Lines</h2>
        <label class="toggle">
          <input
            type="checkbox"
            checked={failedOnly}
            onChange={(e) =>
              navigate((e.target as HTMLInputElement).checked ? `${base}?status=Failed` : base, {
                replace: true,
              })
            }
          />{" "}
          Only failed lines
        </label>
        {lines.error ? <Problem message={lines.error} /> : null}
        {lines.data ? (
          <>
            <table class="lines">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Status</th>
                  <th scope="col">Inputs</th>
                  <th scope="col">Outputs or error</th>
                  <th scope="col">Tokens</th>
                  <th scope="col">Trace</th>
                </tr>
              </thead>
              <tbody>
                {lines.data.lines.map((line) => (
                  <tr key={line.line_number} class={line.status === "Failed" ? "failed" : ""}>
                    <td class="num">{line.line_number}</td>
                    <td>
                      <Status status={line.status} />
                    </td>
                    <td class="mono">{show(line.inputs)}</td>
                    <td class="mono">
                      {line.error ? (
                        <span class="problem">
                          {line.error.node ? `${line.error.node}: ` : ""}
                          {line.error.message}
                        </span>
                      ) : (
                        show(line.outputs)
                      )}
                    </td>
                    <td class="num">{line.usage?.total_tokens ?? "–"}</td>
                    <td>
                      <Link href={`/trace?run=${encodeURIComponent(name)}&line=${line.line_number}`}>
                        Trace
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {lines.data.lines.length === 0 ? (
              <p class="muted">{failedOnly ? "No failed lines." : "No lines yet."}</p>
            ) : null}
            <Pager
              base={base}
              offset={offset}
              limit={PAGE}
              more={lines.data.more}
              params={failedOnly ? { status: "Failed" } : {}}
            />
          </>
        ) : null}
      </section>
    </Layout>
  );
}
