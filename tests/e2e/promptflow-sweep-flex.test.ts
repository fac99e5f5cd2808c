// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${connection.field} is promptflow's syntax, not a template.
/**
 * Behaviours found by running promptflow's own flex-flow and prompty tests under flowops
 * (docs/promptflow-sweep/flex-prompty.md), each reproduced on a flow written for this project in
 * promptflow's style (tests/fixtures/promptflow-compat/): a run YAML's `init:`, outputs taken from the
 * dict the entry returns, the YAML's inputs and init merged over the code's signature, and the flow
 * YAMLs promptflow refuses.
 */

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { openAIConnectionVariable, startOpenAIServer } from "../support/vendor-servers/openai-server.js";
import { defaultReplyText, type VendorServer } from "../support/vendor-servers/scripted-server.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat");
const cli = path.resolve(import.meta.dirname, "../../bin/flowops.js");
const flow = (name: string) => path.join(fixtures, name);

describe("promptflow's flex flows, swept", () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    const home = await mkdtemp(path.join(tmpdir(), "flowops-flex-sweep-"));
    env = { FLOWOPS_HOME: home, FLOWOPS_LLM_MODE: "live", PATH: process.env["PATH"] ?? "" };
  });

  const details = async (name: string) => {
    const shown = await runCli(["run", "show-details", "--name", name, "--format", "json"], { env });
    expect(shown.code, shown.stderr).toBe(0);
    return (JSON.parse(shown.stdout) as { outputs: Record<string, unknown> }[]).map((line) => line.outputs);
  };

  it("run create --file reads the run YAML's init: values, or an init JSON file it names", async () => {
    const created = await runCli(
      ["run", "create", "--file", flow("flex-run-yaml/run.yml"), "--name", "yaml-init"],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    // The dict each line returns is the line's outputs (promptflow's outputs.label, outputs.size).
    expect(await details("yaml-init")).toEqual([
      { label: "yaml-alpha", size: 10 },
      { label: "yaml-be", size: 4 },
    ]);
    const metrics = await runCli(["run", "show-metrics", "--name", "yaml-init"], { env });
    expect(JSON.parse(metrics.stdout)).toEqual({ lines: 2 });

    const fromFile = await runCli(
      ["run", "create", "--file", flow("flex-run-yaml/run-init-file.yml"), "--name", "file-init"],
      { env },
    );
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(await details("file-init")).toEqual([
      { label: "file-alpha", size: 5 },
      { label: "file-be", size: 2 },
    ]);

    // --init on the command line wins over the file's.
    const overridden = await runCli(
      [
        "run",
        "create",
        "--file",
        flow("flex-run-yaml/run.yml"),
        "--init",
        "prefix=cli",
        "--name",
        "cli-init",
      ],
      { env },
    );
    expect(overridden.code, overridden.stderr).toBe(0);
    expect((await details("cli-init"))[1]).toEqual({ label: "cli-be", size: 2 });
  });

  it("a run YAML whose init is neither a mapping nor a file name is refused, naming the field", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-bad-run-"));
    const file = path.join(dir, "run.yml");
    await writeFile(
      file,
      `flow: ${flow("flex-run-yaml")}\ndata: ${flow("flex-run-yaml/words.jsonl")}\ninit: [1, 2]\n`,
    );
    const result = await runCli(["run", "create", "--file", file], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("field 'init'");
  });

  it("flow test merges the YAML's inputs and init over the code's signature; a \"\" default passes nothing", async () => {
    const result = await runCli(
      ["flow", "test", "--flow", flow("flex-signature-merge"), "--inputs", "first=a"],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      joined: "a+from-yaml",
      third_is_none: true,
      suffix_is_none: true,
    });
    // The code's required input stays required even though the YAML does not list it.
    const missing = await runCli(["flow", "test", "--flow", flow("flex-signature-merge")], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required flow input 'first'");
  });

  it("flow test --inputs takes one JSON file (or a JSONL file's first line), as promptflow's --inputs sample.json", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-inputs-file-"));
    await writeFile(path.join(dir, "sample.json"), JSON.stringify({ first: "x", second: "y" }));
    await writeFile(
      path.join(dir, "lines.jsonl"),
      `${JSON.stringify({ first: "j" })}\n${JSON.stringify({ first: "k" })}\n`,
    );
    const fromJson = await runCli(
      ["flow", "test", "--flow", flow("flex-signature-merge"), "--inputs", path.join(dir, "sample.json")],
      { env },
    );
    expect(fromJson.code, fromJson.stderr).toBe(0);
    expect(JSON.parse(fromJson.stdout).joined).toBe("x+y");
    const fromJsonl = await runCli(
      ["flow", "test", "--flow", flow("flex-signature-merge"), "--inputs", path.join(dir, "lines.jsonl")],
      { env },
    );
    expect(JSON.parse(fromJsonl.stdout).joined).toBe("j+from-yaml");
    const missing = await runCli(
      ["flow", "test", "--flow", flow("flex-signature-merge"), "--inputs", path.join(dir, "nope.json")],
      { env },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read it as JSON (no such file)");
  });

  it("environment_variables reach the entry, ${connection.field} read from the connection; the run's own win", async () => {
    const withConnection = {
      ...env,
      FLOWOPS_CONNECTION_KIND_SOURCE: JSON.stringify({
        type: "azure_open_ai",
        api_key: "k",
        api_base: "http://127.0.0.1:9",
        api_type: "azure",
      }),
    };
    const tested = await runCli(["flow", "test", "--flow", flow("flex-env-vars")], { env: withConnection });
    expect(tested.code, tested.stderr).toBe(0);
    expect(JSON.parse(tested.stdout)).toEqual({ greeting: "hello", service_kind: "azure", extra: null });

    const dir = await mkdtemp(path.join(tmpdir(), "flowops-env-run-"));
    const data = path.join(dir, "data.jsonl");
    await writeFile(data, `${JSON.stringify({ extra: "ONLY_THE_RUN" })}\n`);
    const run = (name: string, variables: string[], runEnv: NodeJS.ProcessEnv) =>
      runCli(
        ["run", "create", "--flow", flow("flex-env-vars"), "--data", data, "--name", name].concat(
          variables.length > 0 ? ["--environment-variables", ...variables] : [],
        ),
        { env: runEnv },
      );
    // The run's values win; a name only the run gives is passed as it is, never resolved.
    const shadowed = await run(
      "env-shadow",
      ["GREETING=bonjour", "SERVICE_KIND=plain", "ONLY_THE_RUN=${nowhere.api_type}"],
      env,
    );
    expect(shadowed.code, shadowed.stderr).toBe(0);
    expect(await details("env-shadow")).toEqual([
      { greeting: "bonjour", service_kind: "plain", extra: "${nowhere.api_type}" },
    ]);

    // Without the connection (and not shadowed), the line fails naming the variable and the connection.
    const missing = await runCli(["flow", "test", "--flow", flow("flex-env-vars")], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("environment variable 'SERVICE_KIND' reads connection 'kind_source'");
  });

  it("flow serve of a python flex flow stops on SIGTERM (its python workers are closed)", async () => {
    const child = spawn(
      process.execPath,
      [cli, "flow", "serve", "--source", flow("flex-env-vars"), "--port", "0"],
      {
        env: {
          ...env,
          FLOWOPS_CONNECTION_KIND_SOURCE: JSON.stringify({ type: "custom", configs: { api_type: "x" } }),
        },
      },
    );
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /at (http:\/\/\S+)/.exec(stderr);
        if (found) resolve(found[1]!);
      });
      child.once("exit", () => reject(new Error(`serve exited: ${stderr}`)));
    });
    const response = await fetch(`${url}/score`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(await response.json()).toEqual({ greeting: "hello", service_kind: "x", extra: null });
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const [code, signal] = await exited;
    clearTimeout(timer);
    expect({ code, signal }, stderr).toEqual({ code: 0, signal: null });
  });

  it("__aggregate__ gets the dataclasses __call__ returned, not dicts", async () => {
    const created = await runCli(
      [
        "run",
        "create",
        "--flow",
        flow("flex-dataclass-aggregate"),
        "--data",
        flow("flex-dataclass-aggregate/data.jsonl"),
        "--init",
        "bonus=1",
        "--name",
        "dataclass-agg",
      ],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(await details("dataclass-agg")).toEqual([
      { word: "alpha", points: 6 },
      { word: "be", points: 3 },
    ]);
    const metrics = await runCli(["run", "show-metrics", "--name", "dataclass-agg"], { env });
    expect(JSON.parse(metrics.stdout)).toEqual({ total: 9, longest: 5 });
  });

  it("a class entry decorated with @trace as a whole is still built with its init and called", async () => {
    const result = await runCli(
      ["flow", "test", "--flow", flow("flex-traced-class"), "--init", "prefix=>> ", "--inputs", "text=hi"],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ output: ">> hi" });
  });

  it("promptflow._sdk.entities connection classes type a class entry's init connection", async () => {
    const withConnection = {
      ...env,
      FLOWOPS_CONNECTION_DESCRIBE_AOAI: JSON.stringify({
        type: "azure_open_ai",
        api_key: "k",
        api_base: "http://127.0.0.1:9",
        api_type: "azure",
      }),
    };
    const result = await runCli(
      [
        "flow",
        "test",
        "--flow",
        flow("flex-sdk-connection"),
        "--init",
        "connection=describe_aoai",
        "--inputs",
        "label=x",
      ],
      { env: withConnection },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ label: "x", api_type: "azure", typed: true });
  });

  it("a model configuration init naming a connection gets that connection's endpoint", async () => {
    const withConnection = {
      ...env,
      FLOWOPS_CONNECTION_CONFIGURED_AOAI: JSON.stringify({
        type: "azure_open_ai",
        api_key: "secret-key",
        api_base: "https://configured.example",
        api_version: "2024-02-01",
      }),
    };
    const init = JSON.stringify({ connection: "configured_aoai", azure_deployment: "gpt-4o" });
    const result = await runCli(
      [
        "flow",
        "test",
        "--flow",
        flow("flex-model-config"),
        "--init",
        `model_config=${init}`,
        "--inputs",
        "question=q",
      ],
      { env: withConnection },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      deployment: "gpt-4o",
      endpoint: "https://configured.example",
      connection: "configured_aoai",
    });
    expect(result.stdout + result.stderr).not.toContain("secret-key");
  });

  it("refuses a YAML with both entry and nodes, and promptflow's early 'path:' flex format", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-flex-kinds-"));
    const mixed = path.join(dir, "mixed.yaml");
    await writeFile(mixed, "entry: entry:my_func\nnodes: []\n");
    const both = await runCli(["flow", "test", "--flow", mixed], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("both 'entry' (a flex flow) and 'nodes' (a DAG flow)");

    const early = path.join(dir, "early.yaml");
    await writeFile(early, "path: ./entry.py\n");
    const pathOnly = await runCli(["flow", "test", "--flow", early], { env });
    expect(pathOnly.code).toBe(2);
    expect(pathOnly.stderr).toContain("'path' is not a flow field");
    expect(pathOnly.stderr).toContain("entry: module:function");
  });
});

describe("promptflow's prompty files, swept", () => {
  let openai: VendorServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    openai = await startOpenAIServer();
    env = {
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-prompty-sweep-")),
      FLOWOPS_LLM_MODE: "live",
      PATH: process.env["PATH"] ?? "",
      ...openAIConnectionVariable(openai),
    };
  });
  afterAll(async () => {
    await openai.close();
  });

  it("${file:...} in model.configuration, model.parameters and sample is read from the file beside the prompty", async () => {
    const result = await runCli(["flow", "test", "--flow", flow("prompty-file-refs/weather.prompty")], {
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ output: defaultReplyText });
    const body = openai.requests.at(-1)!.body as {
      model: string;
      tools: { function: { name: string } }[];
      tool_choice: string;
      messages: { role: string; content: string }[];
    };
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.tools.map((tool) => tool.function.name)).toEqual(["get_current_weather"]);
    expect(body.tool_choice).toBe("auto");
    expect(body.messages.at(-1)).toEqual({ role: "user", content: "Is it raining in Oslo?" });
  });

  it("a JSON-answer prompty with no declared outputs has the answer's keys as its outputs (flow test, run details)", async () => {
    openai.enqueue({ reply: { text: JSON.stringify({ name: "John", answer: 2 }) } });
    const file = flow("prompty-python-api/answer_json.prompty");
    const tested = await runCli(["flow", "test", "--flow", file, "--inputs", "question=Who?"], { env });
    expect(tested.code, tested.stderr).toBe(0);
    expect(JSON.parse(tested.stdout)).toEqual({ name: "John", answer: 2 });
  });

  it("a ${file:...} that does not exist is refused, naming the field and the path", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-prompty-ref-"));
    const file = path.join(dir, "broken.prompty");
    await writeFile(
      file,
      "---\nmodel:\n  api: chat\n  configuration: ${file:missing.json}\n---\nuser:\nhi\n",
    );
    const result = await runCli(["flow", "test", "--flow", file], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'model.configuration'");
    expect(result.stderr).toContain("${file:missing.json}");
  });

  it("promptflow.core's Prompty from python: missing inputs, render, estimate_token_count, response: all, outputs=, errors", async () => {
    const json = JSON.stringify({ name: "John", answer: 2 });
    // Calls in order: response all, the JSON answer, the selected outputs, the unknown output.
    for (let i = 0; i < 4; i++) openai.enqueue({ reply: { text: i === 0 ? "Four." : json } });
    const before = openai.requests.length;
    const result = await runCli(["flow", "test", "--flow", flow("prompty-python-api")], { env });
    expect(result.code, result.stderr).toBe(0);
    const checks = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(checks["missing"]).toBe("MissingRequiredInputError: Missing required inputs: ['question']");
    expect(checks["rendered"]).toBe(
      "[{'role': 'system', 'content': 'You are helping John.'}, {'role': 'user', 'content': 'What is 1+1?'}]",
    );
    // An estimate: the prompt's tokens (about 4 characters each, plus per-message overhead) and max_tokens.
    expect(checks["estimate"]).toBeGreaterThan(50);
    expect(checks["estimate"]).toBeLessThan(80);
    expect(checks["response_all"]).toEqual(expect.arrayContaining(["choices", "model", "usage"]));
    expect(checks["json"]).toEqual({ name: "John", answer: 2 });
    expect(checks["json_selected"]).toEqual({ answer: 2 });
    expect(checks["json_unknown"]).toBe(
      "InvalidOutputKeyError: Cannot find score in response ['name', 'answer']",
    );
    expect(checks["config_and_connection"]).toBe(
      "InvalidConnectionError: Cannot configure model config and connection at the same time.",
    );
    expect(checks["flow_load"]).toBe("Prompty");
    // render, estimate_token_count and the missing input called no model: four calls in all.
    expect(openai.requests.length - before).toBe(4);
  });
});
