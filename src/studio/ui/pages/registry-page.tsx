import { Layout, Loading, Problem } from "../components/layout.js";
import { dateTime, number } from "../format.js";
import { Link } from "../router.js";
import { useApi } from "../use-api.js";

interface Versions {
  name: string;
  versions: {
    version: number;
    labels: string[];
    created_on: string;
    created_by: string;
    files: number;
    size: number;
    hash: string;
    metrics?: Record<string, number>;
    metrics_from?: string;
  }[];
}

/** Registered flow versions and their labels (read-only). */
export function RegistryPage(props: { path: string }) {
  const flows = useApi<{ flows: Versions[] }>("/registry/flows");
  return (
    <Layout path={props.path} title="Registry">
      {flows.error ? <Problem message={flows.error} /> : null}
      {flows.loading && !flows.data ? <Loading /> : null}
      {flows.data && flows.data.flows.length === 0 ? (
        <p class="muted">
          Nothing registered yet: flowops registry flow register --source flows/chat --name chat
        </p>
      ) : null}
      {flows.data?.flows.map((flow) => (
        <section key={flow.name} aria-labelledby={`flow-${flow.name}`}>
          <h2 id={`flow-${flow.name}`}>{flow.name}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Labels</th>
                <th scope="col">Registered</th>
                <th scope="col">By</th>
                <th scope="col">Files</th>
                <th scope="col">Metrics</th>
              </tr>
            </thead>
            <tbody>
              {flow.versions.map((v) => (
                <tr key={v.version}>
                  <td class="num">
                    {flow.name}:{v.version}
                  </td>
                  <td>
                    {v.labels.length === 0 ? <span class="muted">–</span> : null}
                    {v.labels.map((label) => (
                      <span key={label} class="tag">
                        {label}
                      </span>
                    ))}
                  </td>
                  <td>{dateTime(v.created_on)}</td>
                  <td>{v.created_by}</td>
                  <td class="num">
                    {v.files} ({Math.ceil(v.size / 1024)} KB)
                  </td>
                  <td>
                    {Object.entries(v.metrics ?? {})
                      .map(([m, value]) => `${m} = ${number(value)}`)
                      .join(", ") || "–"}
                    {v.metrics_from ? (
                      <>
                        {" from "}
                        <Link href={`/runs/${encodeURIComponent(v.metrics_from)}`}>{v.metrics_from}</Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Layout>
  );
}
