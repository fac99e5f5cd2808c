import { useEffect, useState } from "preact/hooks";
import type { RunSummary } from "../../api/run-summary.js";
import { Layout, Loading, Pager, Problem, Status } from "../components/layout.js";
import { dateTime, duration } from "../format.js";
import { Link, navigate } from "../router.js";
import { useApi } from "../use-api.js";

export type { RunSummary } from "../../api/run-summary.js";

export interface RunsPage {
  runs: RunSummary[];
  offset: number;
  limit: number;
  more: boolean;
}

const STATUSES = ["NotStarted", "Running", "Completed", "Failed", "Canceled"];
const PAGE = 50;

/** Every run, newest first, a page at a time; live while any run on the page is running. */
export function RunsListPage(props: { path: string; query: URLSearchParams }) {
  const offset = Number(props.query.get("offset") ?? 0) || 0;
  const status = props.query.get("status") ?? "";
  const query = new URLSearchParams({
    offset: String(offset),
    limit: String(PAGE),
    ...(status ? { status } : {}),
  });
  const [live, setLive] = useState(true);
  const runs = useApi<RunsPage>(`/runs?${query}`, { poll: live ? 2000 : 0 });
  const anyRunning = runs.data?.runs.some((r) => r.status === "Running" || r.status === "NotStarted");
  useEffect(() => {
    if (runs.data) setLive(Boolean(anyRunning));
  }, [runs.data, anyRunning]);
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (name: string) =>
    setSelected((list) => (list.includes(name) ? list.filter((n) => n !== name) : [...list, name]));
  return (
    <Layout path={props.path} title="Runs">
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(`/compare?runs=${selected.map(encodeURIComponent).join(",")}`);
        }}
      >
        <label>
          Status{" "}
          <select
            value={status}
            onChange={(event) => {
              const value = (event.target as HTMLSelectElement).value;
              navigate(value ? `/runs?status=${value}` : "/runs", { replace: true });
            }}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={selected.length < 1}>
          Compare selected ({selected.length})
        </button>
      </form>
      {runs.error ? <Problem message={runs.error} /> : null}
      {runs.loading && !runs.data ? <Loading /> : null}
      {runs.data ? (
        <div class="scroll">
          <table>
            <caption class="visually-hidden">Runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Run</th>
                <th scope="col">Flow</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Lines (ok / failed / total)</th>
                <th scope="col">Tokens</th>
                <th scope="col">Duration</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.runs.map((run) => (
                <tr key={run.name}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${run.name}`}
                      checked={selected.includes(run.name)}
                      onChange={() => toggle(run.name)}
                    />
                  </td>
                  <td>
                    <Link href={`/runs/${encodeURIComponent(run.name)}`}>{run.name}</Link>
                    {run.run ? <div class="muted small">evaluates {run.run}</div> : null}
                  </td>
                  <td>{run.flow}</td>
                  <td>
                    <Status status={run.status} />
                  </td>
                  <td>
                    <progress max={1} value={run.progress} aria-label={`Progress of ${run.name}`} />{" "}
                    {Math.round(run.progress * 100)}%
                  </td>
                  <td class="num">
                    {run.lines.completed} / {run.lines.failed} / {run.lines.total}
                  </td>
                  <td class="num">{run.tokens}</td>
                  <td class="num">{duration(run.duration_ms)}</td>
                  <td>{dateTime(run.created_on)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.data.runs.length === 0 ? <p class="muted">No runs.</p> : null}
          <Pager
            base="/runs"
            offset={offset}
            limit={PAGE}
            more={runs.data.more}
            params={status ? { status } : {}}
          />
        </div>
      ) : null}
    </Layout>
  );
}
