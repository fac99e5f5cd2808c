import { useState } from "preact/hooks";
import type { Diagnostic } from "../../../core/errors.js";
import type { FlowDetail } from "../../api/flow-detail-types.js";
import { postStream } from "../api.js";
import { ChatView } from "../components/chat-view.js";
import { DagView } from "../components/dag-view.js";
import { Layout, Loading, Problem, Status } from "../components/layout.js";
import { RunForm } from "../components/run-form.js";
import { VariantSelect } from "../components/variant-select.js";
import { duration, show } from "../format.js";
import { Link } from "../router.js";
import { useApi } from "../use-api.js";

interface RunState {
  status: "Running" | "Completed" | "Failed";
  runId?: string;
  outputs: Record<string, unknown>;
  error?: string;
  tokens?: number;
  durationMs?: number;
}

/** A flow: its DAG, validation problems at their line, the run form (and chat), node templates and code. */
export function FlowPage(props: { path: string; name: string }) {
  const flow = useApi<FlowDetail>(`/flows/${encodeURIComponent(props.name)}`);
  const [run, setRun] = useState<RunState | undefined>();
  const [chatVariant, setChatVariant] = useState("");

  const start = async (inputs: Record<string, unknown>, variant: string | undefined) => {
    const state: RunState = { status: "Running", outputs: {} };
    setRun({ ...state });
    try {
      await postStream(
        `/flows/${encodeURIComponent(props.name)}/run`,
        { inputs, ...(variant ? { variant } : {}) },
        ({ event, data }) => {
          if (event === "start") state.runId = String(data["run_id"]);
          if (event === "chunk") {
            const output = String(data["output"]);
            state.outputs[output] = `${state.outputs[output] ?? ""}${String(data["chunk"])}`;
          }
          if (event === "done") {
            state.status = "Completed";
            state.outputs = data["outputs"] as Record<string, unknown>;
            state.tokens = (data["usage"] as { total_tokens?: number } | undefined)?.total_tokens;
            state.durationMs = Number(data["duration_ms"]);
          }
          if (event === "error") {
            state.status = "Failed";
            state.error = (data["error"] as { message?: string } | undefined)?.message ?? "The flow failed.";
          }
          setRun({ ...state, outputs: { ...state.outputs } });
        },
      );
    } catch (error) {
      setRun({ ...state, status: "Failed", error: (error as Error).message });
    }
  };

  const data = flow.data;
  const problemNodes = new Set((data?.diagnostics ?? []).flatMap((d) => (d.node ? [d.node] : [])));
  return (
    <Layout path={props.path} title={`Flow ${props.name}`}>
      <p>
        <Link href="/">All flows</Link>
      </p>
      {flow.error ? <Problem message={flow.error} /> : null}
      {flow.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          {data.description ? <p class="lead">{data.description}</p> : null}
          {data.diagnostics.length > 0 ? <Problems diagnostics={data.diagnostics} yaml={data.yaml} /> : null}
          <div class="columns">
            <section class="column" aria-labelledby="graph-heading">
              <h2 id="graph-heading">Graph</h2>
              {data.graph ? (
                <DagView nodes={data.graph.nodes} edges={data.graph.edges} problems={problemNodes} />
              ) : (
                <p class="muted">The flow could not be read.</p>
              )}
              <p class="legend muted small">
                Dashed boxes are aggregation nodes (run once over all lines); dashed arrows are activate
                conditions.
              </p>
            </section>
            <section class="column" aria-labelledby="run-heading">
              {data.chat && data.chatInput && data.chatOutput ? (
                <>
                  <h2 id="chat-heading">Chat</h2>
                  <VariantSelect
                    id="chat-variant"
                    label="Chat variant"
                    variants={data.variants}
                    value={chatVariant}
                    onChange={setChatVariant}
                  />
                  <ChatView
                    flow={data.name}
                    chatInput={data.chatInput}
                    chatOutput={data.chatOutput}
                    {...(data.chatHistory ? { chatHistory: data.chatHistory } : {})}
                    {...(chatVariant ? { variant: chatVariant } : {})}
                  />
                </>
              ) : null}
              <h2 id="run-heading">Run</h2>
              {data.diagnostics.length > 0 ? (
                <p class="muted">Fix the problems above to run this flow.</p>
              ) : (
                <RunForm
                  inputs={data.inputs}
                  variants={data.variants}
                  busy={run?.status === "Running"}
                  onRun={start}
                />
              )}
              {run ? <RunResult run={run} /> : null}
            </section>
          </div>
          <section aria-labelledby="nodes-heading">
            <h2 id="nodes-heading">Nodes</h2>
            {data.sources.map((source) => (
              <details
                key={`${source.node}-${source.variant ?? ""}`}
                class="source"
                open={data.sources.length <= 3}
              >
                <summary>
                  {source.node}
                  {source.variant ? ` (${source.variant})` : ""}{" "}
                  <span class="muted">
                    · {source.type ?? "?"}
                    {source.file ? ` · ${source.file}` : ""}
                  </span>
                </summary>
                {source.text !== undefined ? (
                  <pre class="code">
                    {source.text}
                    {source.truncated ? "\n… (truncated)" : ""}
                  </pre>
                ) : (
                  <p class="muted">
                    {source.file ? `${source.file} could not be read.` : "No source file (a package tool)."}
                  </p>
                )}
              </details>
            ))}
          </section>
        </>
      ) : null}
    </Layout>
  );
}

function RunResult(props: { run: RunState }) {
  const { run } = props;
  return (
    <section class="result" aria-live="polite" aria-labelledby="result-heading">
      <h3 id="result-heading">
        Result <Status status={run.status} />
      </h3>
      {run.error ? <p class="problem">{run.error}</p> : null}
      <dl class="outputs">
        {Object.entries(run.outputs).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>
              <pre class="output">{typeof value === "string" ? value : JSON.stringify(value, null, 2)}</pre>
            </dd>
          </div>
        ))}
      </dl>
      {run.status !== "Running" ? (
        <p class="muted">
          {run.tokens !== undefined ? `${run.tokens} tokens · ` : ""}
          {duration(run.durationMs)}
          {run.runId ? (
            <>
              {" · "}
              <Link href={`/trace?run=${encodeURIComponent(run.runId)}`}>Trace</Link>
            </>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}

/** Validation problems, each at its line of flow.dag.yaml (with the line itself shown). */
function Problems(props: { diagnostics: Diagnostic[]; yaml?: string }) {
  const lines = props.yaml?.split("\n") ?? [];
  return (
    <section class="problems" aria-labelledby="problems-heading">
      <h2 id="problems-heading">Validation problems ({props.diagnostics.length})</h2>
      <ul>
        {props.diagnostics.map((d, i) => (
          <li key={i}>
            <p>
              <strong>
                {d.file ?? "flow.dag.yaml"}
                {d.line ? `:${d.line}` : ""}
              </strong>
              {d.node ? ` · node ${d.node}` : ""}
              {d.field ? ` · ${d.field}` : ""} — {d.message}
            </p>
            {d.line && lines[d.line - 1] !== undefined ? (
              <pre class="code excerpt">
                {d.line > 1 ? `${d.line - 1} | ${show(lines[d.line - 2], 200)}\n` : ""}
                <mark>{`${d.line} | ${show(lines[d.line - 1], 200)}`}</mark>
                {lines[d.line] !== undefined ? `\n${d.line + 1} | ${show(lines[d.line], 200)}` : ""}
              </pre>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
