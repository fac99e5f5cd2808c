// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv } from "../../../tests/support/run-cli.js";
import { MATCH_FLOW, writeAskFlow, writeFolder } from "../../../tests/support/test-flows.js";
import { startOpenAIServer } from "../../../tests/support/vendor-servers/openai-server.js";
import type { VendorServer } from "../../../tests/support/vendor-servers/scripted-server.js";

/** A flow whose TypeScript node reads GREETING and whose python node reads PY_GREETING_TOKEN (a secret-looking name, passed on because the user named it) from the environment. */
const ENV_FLOW = {
  "flow.dag.yaml": `
inputs:
  name:
    type: string
outputs:
  ts:
    type: string
    reference: \${from_ts.output}
  py:
    type: string
    reference: \${from_py.output}
nodes:
  - name: from_ts
    type: typescript
    source:
      type: code
      path: greet.ts
    inputs:
      name: \${inputs.name}
  - name: from_py
    type: python
    source:
      type: code
      path: greet.py
    inputs:
      name: \${inputs.name}
`,
  "greet.ts": `export default ({ name }: { name: string }) => \`\${process.env.GREETING ?? "unset"} \${name}\`;\n`,
  "greet.py": `import os
from promptflow.core import tool

@tool
def greet(name: str) -> str:
    return f"{os.environ.get('PY_GREETING_TOKEN', 'unset')} {name}"
`,
};

/** promptflow's run commands beyond create/show: --connections, --environment-variables, archive, update, export. */
describe("flowops run (promptflow compatibility)", () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let server: VendorServer;
  let data: string;
  const { cli, json } = cliInEnv(() => env);
  /** `run create` of FLOW over the shared data set, with extra arguments. */
  const createRun = (flow: string, ...extra: string[]) =>
    cli("run", "create", "--flow", flow, "--data", data, ...extra);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-cli-run-compat-"));
    server = await startOpenAIServer();
    const connection = (key: string) =>
      JSON.stringify({ type: "open_ai", api_key: key, base_url: `${server.url}/v1` });
    env = {
      FLOWOPS_HOME: path.join(root, "home"),
      CI: "1",
      FLOWOPS_CONNECTION_FIRST: connection("key-first"),
      FLOWOPS_CONNECTION_SECOND: connection("key-second"),
    };
    data = path.join(root, "data.jsonl");
    await writeFile(
      data,
      '{"question":"q1","answer":"a","expected":"a","name":"ada"}\n{"question":"q2","answer":"b","expected":"c","name":"bob"}\n',
    );
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it("--connections replaces a node's connection and inputs for the run, and the run records them", async () => {
    const flow = writeAskFlow(path.join(root, "ask"), { connection: "first", system: "Answer briefly." });
    const before = server.requests.length;
    const created = await createRun(
      flow,
      "--name",
      "switched",
      "--connections",
      "ask.connection=second",
      "ask.model=gpt-4o",
    );
    expect(created.code, created.stderr).toBe(0);
    const requests = server.requests.slice(before);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.headers.authorization).toBe("Bearer key-second");
      expect((request.body as { model: string }).model).toBe("gpt-4o");
    }
    const shown = await json("run", "show", "--name", "switched");
    expect(shown.connections).toEqual({ ask: { connection: "second", model: "gpt-4o" } });

    const plain = await createRun(flow, "--name", "plain-ask");
    expect(plain.code, plain.stderr).toBe(0);
    expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer key-first");
  });

  it("--connections naming a node the flow lacks is a usage error listing its nodes; a missing connection fails validation", async () => {
    const flow = path.join(root, "ask");
    const unknown = await createRun(flow, "--connections", "nope.connection=second");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("has no node 'nope'; its nodes are ask");
    const badForm = await createRun(flow, "--connections", "connection=second");
    expect(badForm.code).toBe(2);
    expect(badForm.stderr).toContain("write NODE.connection=NAME");
    const missing = await createRun(flow, "--connections", "ask.connection=absent");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("absent");
  });

  it("--environment-variables reach TypeScript and python nodes during the run only", async () => {
    const flow = await writeFolder(path.join(root, "env-flow"), ENV_FLOW);
    const created = await createRun(
      flow,
      "--name",
      "with-env",
      "--environment-variables",
      "GREETING=hello",
      "PY_GREETING_TOKEN=bonjour",
    );
    expect(created.code, created.stderr).toBe(0);
    const lines = await json("run", "show-details", "--name", "with-env", "--format", "json");
    expect(lines.map((l: { outputs: unknown }) => l.outputs)).toEqual([
      { ts: "hello ada", py: "bonjour ada" },
      { ts: "hello bob", py: "bonjour bob" },
    ]);
    expect(process.env["GREETING"]).toBeUndefined();
    // Values are not stored with the run (they may be secrets).
    expect(JSON.stringify(await json("run", "show", "--name", "with-env"))).not.toContain("bonjour");
  });

  it("reads connections and environment_variables from a promptflow run YAML", async () => {
    const file = path.join(root, "run.yaml");
    await writeFile(
      file,
      `flow: ask\ndata: data.jsonl\nname: from-yaml\nconnections:\n  ask:\n    connection: second\n    model: gpt-4.1\nenvironment_variables:\n  UNUSED: "1"\n`,
    );
    const before = server.requests.length;
    const created = await cli("run", "create", "--file", file);
    expect(created.code, created.stderr).toBe(0);
    expect(server.requests.slice(before).map((r) => (r.body as { model: string }).model)).toEqual([
      "gpt-4.1",
      "gpt-4.1",
    ]);
  });

  it("archives, restores and updates runs; archived runs leave 'run list' unless asked for", async () => {
    const names = async (...extra: string[]) =>
      (await json("run", "list", ...extra)).map((r: { name: string }) => r.name);
    expect(await names()).toContain("plain-ask");

    const archived = await json("run", "archive", "--name", "plain-ask");
    expect(archived).toMatchObject({ name: "plain-ask", archived: true, status: "Completed" });
    expect(await names()).not.toContain("plain-ask");
    expect(await names("--include-archived")).toContain("plain-ask");
    expect(await names("--archived-only")).toEqual(["plain-ask"]);
    expect((await json("run", "show", "--name", "plain-ask")).archived).toBe(true);

    await json("run", "restore", "--name", "plain-ask");
    expect(await names()).toContain("plain-ask");
    expect(await names("--archived-only")).toEqual([]);

    const updated = await json(
      "run",
      "update",
      "--name",
      "plain-ask",
      "--set",
      "display_name=Ask, v2",
      "description=after the prompt fix",
      "tags.owner=ml",
      "tags.stage=dev",
    );
    expect(updated).toMatchObject({
      display_name: "Ask, v2",
      description: "after the prompt fix",
      tags: { owner: "ml", stage: "dev" },
    });
    const retagged = await json("run", "update", "--name", "plain-ask", "--set", "tags.stage=prod");
    expect(retagged.tags).toEqual({ owner: "ml", stage: "prod" });
    expect(retagged.display_name).toBe("Ask, v2");

    const bad = await cli("run", "update", "--name", "plain-ask", "--set", "status=Failed");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("display_name, description and tags.KEY can be changed");
    const missing = await cli("run", "archive", "--name", "no-such-run");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no-such-run");
  });

  it("exports a run as promptflow's run output folder", async () => {
    const flow = await writeFolder(path.join(root, "match"), MATCH_FLOW);
    const created = await createRun(flow, "--name", "scored");
    expect(created.code, created.stderr).toBe(0);
    const out = path.join(root, "exported");
    const summary = await json("run", "export", "--name", "scored", "--output", out);
    expect(summary).toMatchObject({ lines: 2, folder: out });

    const jsonl = async (file: string) =>
      (await readFile(path.join(out, file), "utf8"))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
    expect(await jsonl("flow_outputs/output.jsonl")).toEqual([
      { line_number: 0, score: 1 },
      { line_number: 1, score: 0 },
    ]);
    expect(await jsonl("outputs.jsonl")).toEqual(await jsonl("flow_outputs/output.jsonl"));
    expect((await jsonl("inputs.jsonl"))[1]).toMatchObject({ line_number: 1, answer: "b", expected: "c" });
    expect(JSON.parse(await readFile(path.join(out, "metrics.json"), "utf8"))).toEqual({ accuracy: 0.5 });
    expect(JSON.parse(await readFile(path.join(out, "meta.json"), "utf8"))).toEqual({ batch_size: 1 });
    expect(await readdir(path.join(out, "flow_artifacts"))).toEqual([
      "000000000_000000000.jsonl",
      "000000001_000000001.jsonl",
    ]);
    const [record] = await jsonl("flow_artifacts/000000001_000000001.jsonl");
    expect(record).toMatchObject({
      line_number: 1,
      status: "Completed",
      run_info: { index: 1, output: { score: 0 } },
    });
    // The aggregation flow keeps node outputs: promptflow's node_artifacts/<node>/<line>.jsonl.
    const [node] = await jsonl("node_artifacts/score/000000000.jsonl");
    expect(node).toMatchObject({ NodeName: "score", line_number: 0, run_info: { output: 1 } });
    expect(await readdir(path.join(out, "snapshot"))).toEqual(
      expect.arrayContaining(["flow.dag.yaml", "score.ts"]),
    );
    await expect(readFile(path.join(out, "error.json"))).rejects.toThrow();

    const again = await cli("run", "export", "--name", "scored", "--output", out);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is not empty");
  });
});
