import type { StoredSpan as Span } from "../../../telemetry/stored-span.js";
import type { TraceSummary } from "../../api/trace-summary.js";
import { Layout, Loading, Pager, Problem, Status } from "../components/layout.js";
import { dateTime, duration } from "../format.js";
import { Link } from "../router.js";
import { useApi } from "../use-api.js";

/** The spans in tree order (parents before children), each with its depth. */
function ordered(spans: Span[]): { span: Span; depth: number }[] {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    if (span.parent_span_id && ids.has(span.parent_span_id)) {
      const list = children.get(span.parent_span_id) ?? [];
      list.push(span);
      children.set(span.parent_span_id, list);
    } else roots.push(span);
  }
  const out: { span: Span; depth: number }[] = [];
  const visit = (span: Span, depth: number) => {
    out.push({ span, depth });
    for (const child of (children.get(span.span_id) ?? []).sort((a, b) =>
      a.start_time.localeCompare(b.start_time),
    ))
      visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return out;
}

function label(span: Span): string {
  const node = span.attributes["flowops.node.name"];
  if (typeof node === "string") return node;
  if (span.name === "flowops.flow") return "flow";
  return span.name;
}

function kind(span: Span): string {
  const type = span.attributes["flowops.node.type"];
  if (span.name === "flowops.flow") return "flow";
  if (type === "llm" || span.attributes["llm.usage.total_tokens"] !== undefined) return "model call";
  return typeof type === "string" ? String(type) : span.name;
}

function pretty(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** A trace as a waterfall: one row per span (flow, nodes, model calls), its bar placed in time. */
export function Waterfall(props: { spans: Span[] }) {
  const rows = ordered(props.spans);
  const start = Math.min(...props.spans.map((s) => Date.parse(s.start_time)));
  const end = Math.max(...props.spans.map((s) => Date.parse(s.end_time)));
  const total = Math.max(1, end - start);
  return (
    <ol class="waterfall" aria-label="Spans">
      {rows.map(({ span, depth }) => {
        const offset = ((Date.parse(span.start_time) - start) / total) * 100;
        const width = Math.max(0.5, (span.duration_ms / total) * 100);
        const tokens = span.attributes["llm.usage.total_tokens"];
        const prompt = span.attributes["llm.usage.prompt_tokens"];
        const completion = span.attributes["llm.usage.completion_tokens"];
        const error = span.status === "ERROR";
        const exception = span.events.find((e) => e.name === "exception");
        return (
          <li key={span.span_id} class={`span${error ? " span-error" : ""}`}>
            <details>
              <summary>
                <span class="span-name" style={{ paddingLeft: `${depth * 1.2}rem` }}>
                  {label(span)} <span class="muted small">{kind(span)}</span>
                </span>
                <span class="span-time">{duration(span.duration_ms)}</span>
                <span class="span-tokens">{typeof tokens === "number" ? `${tokens} tokens` : ""}</span>
                <span class="span-track" aria-hidden="true">
                  <span
                    class="span-bar"
                    style={{ left: `${offset}%`, width: `${Math.min(width, 100 - offset)}%` }}
                  />
                </span>
              </summary>
              <div class="span-detail">
                <p>
                  <Status status={error ? "Failed" : span.status === "OK" ? "Completed" : span.status} />{" "}
                  {dateTime(span.start_time)} · {duration(span.duration_ms)}
                  {typeof tokens === "number"
                    ? ` · tokens: ${prompt ?? "?"} prompt + ${completion ?? "?"} completion = ${tokens}`
                    : ""}
                </p>
                {error ? (
                  <p class="problem">
                    Error:{" "}
                    {span.status_message ?? String(exception?.attributes?.["exception.message"] ?? "failed")}
                  </p>
                ) : null}
                {span.attributes["flowops.inputs"] !== undefined ? (
                  <>
                    <h4>Inputs</h4>
                    <pre class="code">{pretty(span.attributes["flowops.inputs"])}</pre>
                  </>
                ) : null}
                {span.attributes["flowops.output"] !== undefined ? (
                  <>
                    <h4>Output</h4>
                    <pre class="code">{pretty(span.attributes["flowops.output"])}</pre>
                  </>
                ) : null}
              </div>
            </details>
          </li>
        );
      })}
    </ol>
  );
}

/** `/traces/:id`, or `/trace?run=RUN&line=N`: the trace of a result or run line. */
export function TracePage(props: { path: string; id?: string; query: URLSearchParams }) {
  const run = props.query.get("run") ?? undefined;
  const line = props.query.get("line") ?? undefined;
  const lookup = useApi<{ traces: TraceSummary[] }>(
    props.id
      ? undefined
      : `/traces?${new URLSearchParams({ ...(run ? { run } : {}), ...(line ? { line } : {}), limit: "1" })}`,
  );
  const id = props.id ?? lookup.data?.traces[0]?.trace_id;
  const trace = useApi<{ spans: Span[] }>(id ? `/traces/${id}` : undefined);
  const flow =
    lookup.data?.traces[0]?.flow ??
    trace.data?.spans.find((s) => !s.parent_span_id)?.attributes["flowops.flow.file"];
  const subject =
    run && !run.startsWith("studio-") ? `run ${run}${line !== undefined ? ` line ${line}` : ""}` : undefined;
  const title = subject
    ? `Trace of ${subject}`
    : flow
      ? `Trace of a ${String(flow).split("/").at(-2) ?? flow} run`
      : "Trace";
  const missing = !props.id && lookup.data && lookup.data.traces.length === 0;
  return (
    <Layout path={props.path} title={title}>
      <p>
        <Link href="/traces">All traces</Link>
        {run && !run.startsWith("studio-") ? (
          <>
            {" · "}
            <Link href={`/runs/${encodeURIComponent(run)}`}>Run {run}</Link>
          </>
        ) : null}
      </p>
      {missing ? (
        <Problem message="No trace was recorded for this (tracing may be off: FLOWOPS_TRACING=off, or the spans are not saved yet)." />
      ) : null}
      {lookup.error ? <Problem message={lookup.error} /> : null}
      {trace.error ? <Problem message={trace.error} /> : null}
      {id && trace.loading && !trace.data ? <Loading /> : null}
      {trace.data ? <Waterfall spans={trace.data.spans} /> : null}
    </Layout>
  );
}

/** The most recent traces, a page at a time. */
export function TracesPage(props: { path: string; query: URLSearchParams }) {
  const offset = Number(props.query.get("offset") ?? 0) || 0;
  const traces = useApi<{ traces: TraceSummary[]; more: boolean }>(`/traces?offset=${offset}&limit=50`);
  return (
    <Layout path={props.path} title="Traces">
      {traces.error ? <Problem message={traces.error} /> : null}
      {traces.loading && !traces.data ? <Loading /> : null}
      {traces.data ? (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Flow</th>
                <th scope="col">Run · line</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Tokens</th>
                <th scope="col">Trace</th>
              </tr>
            </thead>
            <tbody>
              {traces.data.traces.map((t) => (
                <tr key={t.trace_id}>
                  <td>{dateTime(t.start_time)}</td>
                  <td>{t.flow ?? "–"}</td>
                  <td>
                    {t.run_id ?? "–"}
                    {t.line_number !== undefined ? ` · ${t.line_number}` : ""}
                  </td>
                  <td>
                    <Status
                      status={t.status === "ERROR" ? "Failed" : t.status === "OK" ? "Completed" : t.status}
                    />
                  </td>
                  <td class="num">{duration(t.duration_ms)}</td>
                  <td class="num">{t.total_tokens ?? "–"}</td>
                  <td>
                    <Link href={`/traces/${t.trace_id}`}>Trace</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {traces.data.traces.length === 0 ? <p class="muted">No traces recorded yet: run a flow.</p> : null}
          <Pager base="/traces" offset={offset} limit={50} more={traces.data.more} />
        </>
      ) : null}
    </Layout>
  );
}
