import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import {
  PythonQueueFullError,
  PythonTimeoutError,
  PythonToolError,
  PythonWorkerError,
} from "./python-errors.js";
import { PythonWorker } from "./python-worker.js";
import { PythonWorkerPool } from "./python-worker-pool.js";

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe("the python worker", () => {
  const workers: { stop(): Promise<void> }[] = [];
  const worker = () => {
    const w = new PythonWorker();
    workers.push(w);
    return w;
  };
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  it("calls a @tool with keyword inputs, applying the function's defaults, unaffected by print()", async () => {
    const spans: string[] = [];
    const result = await worker().call(
      { node: "echo", file: fixture("tools.py"), inputs: { text: "hi" } },
      { onSpan: (span) => spans.push(`${span.name}:${JSON.stringify(span.output)}`) },
    );
    expect(result).toBe("HI!");
    expect(spans).toEqual(['shout:"HI"']);
  });

  it("describes a tool's parameters and defaults", async () => {
    const description = await worker().inspect(fixture("async_tool.py"));
    expect(description).toEqual({
      name: "wait_and_add",
      params: [
        { name: "a", required: true, annotation: "int" },
        { name: "b", required: false, default: 2, annotation: "int" },
      ],
    });
  });

  it("awaits async tools and streams generator tools chunk by chunk", async () => {
    const w = worker();
    expect(await w.call({ node: "add", file: fixture("async_tool.py"), inputs: { a: 40 } })).toBe(42);
    const chunks: unknown[] = [];
    await w.call(
      { node: "words", file: fixture("generator_tool.py"), inputs: { text: "a b c" } },
      { onChunk: (c) => chunks.push(c) },
    );
    expect(chunks).toEqual(["a ", "b ", "c "]);
  });

  it("streams the generator fields of a returned dataclass or dict after the other fields", async () => {
    for (const [fn, title, chunks] of [
      ["as_dataclass", "t", ["x ", "y "]],
      ["as_dict", "d", ["x", "y"]],
    ] as const) {
      const events: unknown[] = [];
      const value = await worker().call(
        { node: "n", file: fixture("record_stream_tool.py"), function: fn, inputs: { text: "x y" } },
        {
          onRecord: (fixed, streams) => events.push({ fixed, streams }),
          onChunk: (chunk, field) => events.push([field, chunk]),
        },
      );
      expect(value).toBeNull();
      expect(events).toEqual([
        { fixed: { title }, streams: ["text"] },
        ["text", chunks[0]],
        ["text", chunks[1]],
      ]);
    }
  });

  it("turns an exception into an error naming the node, the python type and the user's file and line", async () => {
    const error = (await worker()
      .call({ node: "lookup", file: fixture("failing_tool.py"), inputs: { value: "b" } })
      .catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(PythonToolError);
    expect(error.message).toMatch(
      /python node 'lookup' raised KeyError: 'b' \(.*failing_tool\.py:5 in helper\)/,
    );
    expect(error.message).not.toContain("Traceback");
  });

  it("reports log_metric calls from aggregation tools", async () => {
    const metrics: [string, number][] = [];
    const value = await worker().call(
      {
        node: "acc",
        file: fixture("metrics_tool.py"),
        inputs: { grades: ["Correct", "Incorrect", "Correct", "Correct"] },
      },
      { onMetric: (name, v) => metrics.push([name, v]) },
    );
    expect(value).toBe(0.75);
    expect(metrics).toEqual([["accuracy", 0.75]]);
  });

  it("with a real promptflow package importable, registers flowops's metric logger so log_metric is kept", async () => {
    // The stand-in behaves like promptflow: its log_metric drops metrics unless a logger is registered.
    const standin = fileURLToPath(new URL("./__fixtures__/standin", import.meta.url));
    const w = new PythonWorker({ env: { PYTHONPATH: standin } });
    workers.push(w);
    const metrics: [string, number][] = [];
    const value = await w.call(
      { node: "acc", file: fixture("metrics_tool.py"), inputs: { grades: ["Correct", "Incorrect"] } },
      { onMetric: (name, v) => metrics.push([name, v]) },
    );
    expect(value).toBe(0.5);
    expect(metrics).toEqual([["accuracy", 0.5]]);
  });

  it("starts workers without the host's secrets in their environment", async () => {
    const set = {
      FLOWOPS_CONNECTION_AOAI: '{"type":"azure_open_ai","api_key":"k","api_base":"b"}',
      AZURE_OPENAI_API_KEY: "k1",
      AZURE_OPENAI_KEY: "k2",
      OPENAI_API_KEY: "k3",
      MY_DB_PASSWORD: "p",
      GITHUB_TOKEN: "t",
      AZURE_CLIENT_SECRET: "s",
      COSMOS_CONNECTION_STRING: "AccountEndpoint=x;AccountKey=y;",
      FLOWOPS_TEST_PLAIN_SETTING: "kept",
      FLOWOPS_TEST_ALLOWED_TOKEN: "allowed",
      FLOWOPS_PYTHON_ENV_ALLOW: "FLOWOPS_TEST_ALLOWED_TOKEN",
    };
    const before = { ...process.env };
    Object.assign(process.env, set);
    onTestFinished(() => {
      for (const name of Object.keys(set)) {
        if (before[name] === undefined) delete process.env[name];
        else process.env[name] = before[name];
      }
    });
    const given = new PythonWorker({ env: { OPENAI_API_KEY: "from-options", FLOWOPS_TEST_GIVEN: "kept" } });
    workers.push(given);
    const fromOptions = (await given.call({
      node: "env",
      file: fixture("env_tool.py"),
      function: "environment_names",
      inputs: {},
    })) as string[];
    expect(fromOptions).toContain("FLOWOPS_TEST_GIVEN");
    expect(fromOptions).not.toContain("OPENAI_API_KEY");
    const names = (await worker().call({
      node: "env",
      file: fixture("env_tool.py"),
      function: "environment_names",
      inputs: {},
    })) as string[];
    expect(names).toContain("FLOWOPS_TEST_PLAIN_SETTING");
    expect(names).toContain("FLOWOPS_TEST_ALLOWED_TOKEN");
    expect(names).toContain("PATH");
    for (const secret of Object.keys(set).filter(
      (name) => !name.startsWith("FLOWOPS_TEST_") && name !== "FLOWOPS_PYTHON_ENV_ALLOW",
    )) {
      expect(names).not.toContain(secret);
    }
  });

  it("stops a tool that never returns at the timeout, and the next call gets a fresh worker", async () => {
    const w = worker();
    const error = (await w
      .call({ node: "hang", file: fixture("hanging_tool.py"), inputs: {} }, { timeoutMs: 300 })
      .catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(PythonTimeoutError);
    expect(await w.call({ node: "add", file: fixture("async_tool.py"), inputs: { a: 1, b: 1 } })).toBe(2);
  });

  it("fails the line when the worker dies mid-call, then restarts on the next call", async () => {
    const w = worker();
    const error = (await w
      .call({ node: "crash", file: fixture("crashing_tool.py"), inputs: { code: 7 } })
      .catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(PythonWorkerError);
    expect(error.message).toContain("exit code 7");
    expect(error.message).toContain("'crash'");
    expect(await w.call({ node: "add", file: fixture("async_tool.py"), inputs: { a: 2 } })).toBe(4);
  });

  it("fails the call with the interpreter's message when the worker cannot start (no hang)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-broken-python-"));
    const python = path.join(dir, "python3");
    await writeFile(
      python,
      "#!/bin/sh\necho \"python3: can't open file 'flowops_worker.py'\" >&2\nexit 2\n",
      {
        mode: 0o755,
      },
    );
    const w = new PythonWorker({ python });
    workers.push(w);
    const error = (await w
      .call({ node: "echo", file: fixture("tools.py"), inputs: { text: "hi" } })
      .catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(PythonWorkerError);
    expect(error.message).toContain("exit code 2");
    expect(error.message).toContain("can't open file");
  });

  it("carries huge outputs across many pipe chunks", async () => {
    const size = 8 * 1024 * 1024;
    const value = (await worker().call({
      node: "huge",
      file: fixture("huge_tool.py"),
      inputs: { size },
    })) as string;
    expect(value.length).toBe(size);
  });

  it("says clearly when a tool returns something that is not JSON-serializable", async () => {
    const error = (await worker()
      .call({ node: "opaque", file: fixture("non_json_tool.py"), inputs: {} })
      .catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(PythonToolError);
    expect(error.message).toContain("not JSON-serializable");
    expect(error.message).toContain("Opaque");
  });

  it("passes typed connections that behave like promptflow's", async () => {
    const w = worker();
    const file = fixture("connection_tools.py");
    const aoai = {
      type: "azure_open_ai",
      name: "aoai",
      api_key: "k",
      api_base: "https://x.openai.azure.com",
    };
    expect(
      await w.call({ node: "a", file, function: "describe_aoai", inputs: {}, connections: { conn: aoai } }),
    ).toEqual({
      kind: "AzureOpenAIConnection",
      base: "https://x.openai.azure.com",
      has_key: true,
    });
    const openai = { type: "open_ai", name: "oai", api_key: "k", base_url: "http://127.0.0.1:1/v1" };
    expect(
      await w.call({
        node: "b",
        file,
        function: "describe_openai",
        inputs: {},
        connections: { conn: openai },
      }),
    ).toEqual({
      kind: "OpenAIConnection",
      base_url: "http://127.0.0.1:1/v1",
    });
    const custom = {
      type: "custom",
      name: "c",
      configs: { endpoint: "e", api_url: "u" },
      secrets: { token: "abcd" },
    };
    expect(
      await w.call({
        node: "c",
        file,
        function: "describe_custom",
        inputs: {},
        connections: { conn: custom },
      }),
    ).toEqual({
      kind: "CustomConnection",
      endpoint: "e",
      secret_is_secret: true,
      token_len: 4,
    });
    expect(
      await w.call({
        node: "d",
        file,
        function: "describe_strong",
        inputs: {},
        connections: { conn: custom },
      }),
    ).toEqual({
      kind: "MyConnection",
      api_url: "u",
      token_len: 4,
    });
  });

  it("runs concurrent lines on a pool of workers", async () => {
    const pool = new PythonWorkerPool(3);
    workers.push(pool);
    const file = fixture("concurrency_tool.py");
    // Each call waits until all three are in flight at once: that can only finish if they run in parallel.
    const barrier = path.join(tmpdir(), `flowops-barrier-${process.pid}-${Date.now()}`);
    onTestFinished(() => rm(barrier, { force: true }));
    const results = (await Promise.all(
      [0, 1, 2].map(() => pool.call({ node: "meet", file, inputs: { barrier, parties: 3 } })),
    )) as { pid: number; met: boolean }[];
    expect(results.every((r) => r.met)).toBe(true);
    expect(new Set(results.map((r) => r.pid)).size).toBe(3);
  });

  it("gives every pool call a default timeout, bounds the queue, and lets a waiting call leave on abort", async () => {
    const pool = new PythonWorkerPool(1, { timeoutMs: 400, maxQueue: 1 });
    workers.push(pool);
    const hang = { node: "hang", file: fixture("hanging_tool.py"), inputs: {} };
    const first = pool.call(hang).catch((e: Error) => e);
    const waiting = pool.call({ node: "add", file: fixture("async_tool.py"), inputs: { a: 1, b: 2 } });
    // The one worker is busy and one call waits: a third is refused at once, retryable.
    const refused = (await pool.call(hang).catch((e: Error) => e)) as PythonQueueFullError;
    expect(refused).toBeInstanceOf(PythonQueueFullError);
    expect(refused).toMatchObject({ code: "PythonQueueFull", retryable: true, status: 503, node: "hang" });
    // The hanging call is stopped by the pool's default timeout; the waiting call then runs.
    expect(await first).toBeInstanceOf(PythonTimeoutError);
    expect(await waiting).toBe(3);

    const busy = pool.call(hang, { timeoutMs: 60_000 }).catch((e: Error) => e);
    const controller = new AbortController();
    const leaving = pool.call(hang, { signal: controller.signal }).catch((e: unknown) => e);
    expect(pool.queued).toBe(1);
    controller.abort(new Error("caller left"));
    expect(await leaving).toMatchObject({ message: "caller left" });
    expect(pool.queued).toBe(0);
    await pool.stop();
    await busy;
  });

  it("describes annotations, flags connection parameters, and describes a class entry's __call__ and __init__", async () => {
    const w = worker();
    const tool = await w.inspect(fixture("connection_tools.py"), "describe_custom");
    expect(tool.params).toEqual([
      { name: "conn", required: true, annotation: "CustomConnection", connection: true },
    ]);
    expect(await w.inspect(fixture("class_entry.py"), "Counter")).toEqual({
      name: "Counter",
      params: [{ name: "text", required: true, annotation: "str" }],
      init: [
        { name: "unit", required: false, default: "words", annotation: "str" },
        { name: "conn", required: false, default: null, annotation: "CustomConnection", connection: true },
      ],
    });
  });

  it("builds a class entry once per init (connections included) and calls the instance per line", async () => {
    const w = worker();
    const file = fixture("class_entry.py");
    const conn = { type: "custom", name: "c", configs: { source: "docs" }, secrets: {} };
    const call = (text: string, init: Record<string, unknown>) =>
      w.call({ node: "flex", file, function: "Counter", inputs: { text }, init, connections: { conn } });
    expect(await call("a b", { unit: "tokens" })).toEqual({
      label: "2 tokens",
      instances: 1,
      source: "docs",
    });
    expect(await call("a b c", { unit: "tokens" })).toEqual({
      label: "3 tokens",
      instances: 1,
      source: "docs",
    });
    expect(await call("a", { unit: "words" })).toEqual({ label: "1 words", instances: 2, source: "docs" });
    const configured = await w.call({
      node: "flex",
      file,
      function: "Configured",
      inputs: {},
      init: { model_config: { azure_deployment: "gpt-4o", connection: "aoai" } },
    });
    expect(configured).toEqual({ kind: "AzureOpenAIModelConfiguration", deployment: "gpt-4o" });
  });
});
