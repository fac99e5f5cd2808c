import type { DeploymentRecord, TrafficEntry as Traffic } from "../../../stores/deployment-store.js";
import type { VersionMetrics } from "../../api/version-metrics.js";
import { Layout, Loading, Problem } from "../components/layout.js";
import { dateTime, duration, number } from "../format.js";
import { Link } from "../router.js";
import { useApi } from "../use-api.js";

interface EndpointSummary {
  endpoint: string;
  revision?: number;
  traffic: Traffic[];
  updated_on?: string;
}

interface EndpointDetail {
  endpoint: string;
  current: DeploymentRecord;
  history: DeploymentRecord[];
  versions: VersionMetrics[];
  requests: number;
}

function split(traffic: Traffic[]): string {
  const total = traffic.reduce((sum, t) => sum + t.weight, 0) || 1;
  return traffic.map((t) => `${t.flow}:${t.version} ${Math.round((t.weight / total) * 100)}%`).join(", ");
}

/** Endpoints and the traffic split each serves (read-only). */
export function EndpointsPage(props: { path: string }) {
  const list = useApi<{ endpoints: EndpointSummary[] }>("/endpoints");
  return (
    <Layout path={props.path} title="Endpoints">
      {list.error ? <Problem message={list.error} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.endpoints.length === 0 ? (
        <p class="muted">Nothing deployed yet: flowops deploy --endpoint NAME --flow chat:1=100</p>
      ) : null}
      <ul class="cards">
        {list.data?.endpoints.map((e) => (
          <li key={e.endpoint} class="card">
            <h2>
              <Link href={`/endpoints/${encodeURIComponent(e.endpoint)}`}>{e.endpoint}</Link>
            </h2>
            <p>{split(e.traffic)}</p>
            <p class="muted small">
              revision {e.revision ?? "–"} · {dateTime(e.updated_on)}
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** One endpoint: the traffic split, production metrics per version, and the revision history. */
export function EndpointPage(props: { path: string; name: string }) {
  const detail = useApi<EndpointDetail>(`/endpoints/${encodeURIComponent(props.name)}`);
  const data = detail.data;
  const total = data ? data.current.traffic.reduce((sum, t) => sum + t.weight, 0) || 1 : 1;
  return (
    <Layout path={props.path} title={`Endpoint ${props.name}`}>
      <p>
        <Link href="/endpoints">All endpoints</Link>
      </p>
      {detail.error ? <Problem message={detail.error} /> : null}
      {detail.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <h2>Traffic split</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Weight</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {data.current.traffic.map((t) => (
                <tr key={`${t.flow}:${t.version}`}>
                  <td>
                    {t.flow}:{t.version}
                  </td>
                  <td class="num">{t.weight}</td>
                  <td>
                    <meter
                      min={0}
                      max={1}
                      value={t.weight / total}
                      aria-label={`Share of ${t.flow}:${t.version}`}
                    />{" "}
                    {Math.round((t.weight / total) * 100)}%
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Production metrics</h2>
          <p class="muted">Over the last {data.requests} logged requests.</p>
          {data.versions.length === 0 ? <p class="muted">No requests logged yet.</p> : null}
          {data.versions.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Requests</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Failure rate</th>
                  <th scope="col">Mean latency</th>
                  <th scope="col">p95 latency</th>
                  <th scope="col">Mean tokens</th>
                </tr>
              </thead>
              <tbody>
                {data.versions.map((v) => (
                  <tr key={v.version}>
                    <td>{v.version}</td>
                    <td class="num">{v.requests}</td>
                    <td class="num">{v.failed}</td>
                    <td class="num">{(v.failure_rate * 100).toFixed(1)}%</td>
                    <td class="num">{duration(v.mean_latency_ms)}</td>
                    <td class="num">{duration(v.p95_latency_ms)}</td>
                    <td class="num">{number(v.mean_tokens)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <h2>History</h2>
          <ol class="plain">
            {data.history.map((h) => (
              <li key={h.revision}>
                Revision {h.revision}: {h.action}
                {h.restored_revision ? ` (restores ${h.restored_revision})` : ""} · {split(h.traffic)} ·{" "}
                {h.updated_by}, {dateTime(h.updated_on)}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </Layout>
  );
}
