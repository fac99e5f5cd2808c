import type { FlowSummary } from "../../api/flow-detail-types.js";
import { Layout, Loading, Problem, Status } from "../components/layout.js";
import { duration } from "../format.js";
import { Link } from "../router.js";
import { useApi } from "../use-api.js";
import type { RunsPage } from "./runs-page.js";

/** The home page: every flow the host serves, and the latest runs. */
export function FlowsPage(props: { path: string }) {
  const flows = useApi<{ flows: FlowSummary[] }>("/flows");
  const runs = useApi<RunsPage>("/runs?limit=10");
  return (
    <Layout path={props.path} title="Flows">
      {flows.error ? <Problem message={flows.error} /> : null}
      {flows.loading && !flows.data ? <Loading /> : null}
      <ul class="cards">
        {flows.data?.flows.map((flow) => (
          <li key={flow.name} class="card">
            <h2>
              <Link href={`/flows/${encodeURIComponent(flow.name)}`}>{flow.name}</Link>
            </h2>
            <p>{flow.description ?? <span class="muted">No description.</span>}</p>
            <p class="tags">
              {flow.chat ? <span class="tag">chat</span> : null}
              {flow.problems > 0 ? (
                <span class="tag tag-problem">
                  {flow.problems} problem{flow.problems === 1 ? "" : "s"}
                </span>
              ) : (
                <span class="tag tag-ok">valid</span>
              )}
            </p>
          </li>
        ))}
      </ul>
      <section>
        <h2>Latest runs</h2>
        {runs.data && runs.data.runs.length === 0 ? <p class="muted">No runs yet.</p> : null}
        <ul class="plain">
          {runs.data?.runs.map((run) => (
            <li key={run.name}>
              <Link href={`/runs/${encodeURIComponent(run.name)}`}>{run.name}</Link>{" "}
              <Status status={run.status} />{" "}
              <span class="muted">
                {run.flow} · {run.lines.completed}/{run.lines.total} lines · {duration(run.duration_ms)}
              </span>
            </li>
          ))}
        </ul>
        <p>
          <Link href="/runs">All runs</Link>
        </p>
      </section>
    </Layout>
  );
}
