import type { JSX } from "preact";
import { Layout } from "./components/layout.js";
import { ComparePage } from "./pages/compare-page.js";
import { EndpointPage, EndpointsPage } from "./pages/endpoints-page.js";
import { ExperimentPage, ExperimentsPage } from "./pages/experiments-page.js";
import { FlowPage } from "./pages/flow-page.js";
import { FlowsPage } from "./pages/flows-page.js";
import { RegistryPage } from "./pages/registry-page.js";
import { RunPage } from "./pages/run-page.js";
import { RunsListPage } from "./pages/runs-page.js";
import { TracePage, TracesPage } from "./pages/trace-page.js";
import { Link, matchPath, useLocation } from "./router.js";

type Page = (path: string, params: Record<string, string>, query: URLSearchParams) => JSX.Element;

const ROUTES: [string, Page][] = [
  ["/", (path) => <FlowsPage path={path} />],
  ["/flows", (path) => <FlowsPage path={path} />],
  ["/flows/:name", (path, p) => <FlowPage key={p["name"]} path={path} name={p["name"]!} />],
  ["/runs", (path, _, q) => <RunsListPage path={path} query={q} />],
  ["/runs/:name", (path, p, q) => <RunPage key={p["name"]} path={path} name={p["name"]!} query={q} />],
  ["/compare", (path, _, q) => <ComparePage path={path} query={q} />],
  ["/traces", (path, _, q) => <TracesPage path={path} query={q} />],
  ["/traces/:id", (path, p, q) => <TracePage key={p["id"]} path={path} id={p["id"]!} query={q} />],
  ["/trace", (path, _, q) => <TracePage key={q.toString()} path={path} query={q} />],
  ["/experiments", (path) => <ExperimentsPage path={path} />],
  ["/experiments/:id", (path, p) => <ExperimentPage key={p["id"]} path={path} id={p["id"]!} />],
  ["/registry", (path) => <RegistryPage path={path} />],
  ["/endpoints", (path) => <EndpointsPage path={path} />],
  ["/endpoints/:name", (path, p) => <EndpointPage key={p["name"]} path={path} name={p["name"]!} />],
];

/** The studio: picks the page for the address. */
export function App() {
  const url = useLocation();
  for (const [pattern, page] of ROUTES) {
    const params = matchPath(pattern, url.pathname);
    if (params) return page(url.pathname, params, url.searchParams);
  }
  return (
    <Layout path={url.pathname} title="Page not found">
      <p>
        Nothing here. <Link href="/">Go to the flows</Link>.
      </p>
    </Layout>
  );
}
