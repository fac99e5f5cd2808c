// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${file:...} is promptflow's syntax, not a template.
/**
 * promptflow's flex-flow behaviours, on flows written for this project in promptflow's style
 * (tests/fixtures/promptflow-compat/flex-*): `sample` (inputs and init, `${file:...}` references) as
 * the defaults of flow test, run create, serve and loadFlow; `--init`; streaming from python entries
 * (a dataclass with a generator field, an async generator) through loadFlow and `flow serve` SSE
 * without buffering, joined by `flow test`; unsupported C# entries named with the alternative.
 */

import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadFlow } from "../../src/load-flow.js";
import { runCli } from "../support/run-cli.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat");
const flow = (name: string) => path.join(fixtures, name);

describe("flex flows", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), "flowops-flex-"));
    env = { FLOWOPS_HOME: home, FLOWOPS_LLM_MODE: "live", PATH: process.env["PATH"] ?? "" };
  });

  it("flow test takes inputs from sample.inputs and init from sample.init (${file:...}); --init overrides", async () => {
    const plain = await runCli(["flow", "test", "--flow", flow("flex-sample")], { env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({ text: "Hello, Ada! Hello, Ada!", greeting: "Hello" });

    const fromFile = await runCli(["flow", "test", "--flow", flow("flex-sample/sample-file.flex.yaml")], {
      env,
    });
    expect(JSON.parse(fromFile.stdout)).toEqual({ text: "Hi, Grace.", greeting: "Hi" });

    const init = await runCli(
      [
        "flow",
        "test",
        "--flow",
        flow("flex-sample"),
        "--init",
        "greeting=Bonjour",
        "punctuation=?",
        "--inputs",
        "times=1",
      ],
      { env },
    );
    expect(JSON.parse(init.stdout)).toEqual({ text: "Bonjour, Ada?", greeting: "Bonjour" });

    const dir = await mkdtemp(path.join(tmpdir(), "flowops-init-"));
    await writeFile(path.join(dir, "init.json"), JSON.stringify({ greeting: "Hey" }));
    const initFile = await runCli(
      ["flow", "test", "--flow", flow("flex-sample"), "--init", path.join(dir, "init.json")],
      { env },
    );
    expect(JSON.parse(initFile.stdout).text).toBe("Hey, Ada. Hey, Ada.");
  });

  it("run create uses --init and the sample's defaults for missing columns", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-flex-run-"));
    const data = path.join(dir, "data.jsonl");
    await writeFile(data, `${JSON.stringify({ name: "Linus" })}\n${JSON.stringify({ name: "Barbara" })}\n`);
    const created = await runCli(
      [
        "run",
        "create",
        "--flow",
        flow("flex-sample"),
        "--data",
        data,
        "--init",
        "greeting=Yo",
        "--name",
        "flex-init",
      ],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const details = await runCli(["run", "show-details", "--name", "flex-init", "--format", "json"], { env });
    expect(details.stdout).toContain("Yo, Linus. Yo, Linus.");
    expect(details.stdout).toContain("Yo, Barbara. Yo, Barbara.");
  });

  it("a dataclass with a generator field streams chunk by chunk through loadFlow, with nothing buffered", async () => {
    const gate = path.join(await mkdtemp(path.join(tmpdir(), "flowops-gate-")), "open");
    const fn = await loadFlow(flow("flex-stream"), { env });
    try {
      const events = fn.stream({ question: "one two three", gate })[Symbol.asyncIterator]();
      expect((await events.next()).value).toEqual({ words: 3 });
      // The second word is produced only once the gate exists: the first must arrive before that.
      expect((await events.next()).value).toEqual({ answer: "one " });
      expect(existsSync(gate)).toBe(false);
      await writeFile(gate, "");
      const rest: unknown[] = [];
      for (let next = await events.next(); !next.done; next = await events.next()) rest.push(next.value);
      expect(rest).toEqual([{ answer: "two " }, { answer: "three " }]);
      // Called as a function (no stream), the generator is joined.
      expect(await fn({ question: "a b" })).toEqual({ answer: "a b ", words: 2 });
    } finally {
      await fn.close();
    }
  });

  it("flow test joins a streamed output; flow serve sends it as server-sent events", async () => {
    const tested = await runCli(["flow", "test", "--flow", flow("flex-stream/generator.flex.yaml")], { env });
    expect(JSON.parse(tested.stdout)).toEqual({ output: "flow" });

    const stop = new AbortController();
    let url = "";
    const ready = new Promise<void>((resolve) => {
      void runCli(["flow", "serve", "--source", flow("flex-stream"), "--port", "0"], {
        env,
        signal: stop.signal,
        onReady: (info) => {
          url = info.url;
          resolve();
        },
      });
    });
    await ready;
    try {
      const response = await fetch(`${url}/score`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ question: "served in pieces" }),
      });
      expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
      const events = (await response.text())
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => JSON.parse(line.slice(6)));
      expect(events).toEqual([{ words: 3 }, { answer: "served " }, { answer: "in " }, { answer: "pieces " }]);
    } finally {
      stop.abort();
    }
  });

  it("a class entry's __aggregate__ turns every line's output into the run's metrics", async () => {
    const created = await runCli(
      [
        "run",
        "create",
        "--flow",
        flow("flex-aggregate"),
        "--data",
        flow("flex-aggregate/data.jsonl"),
        "--name",
        "flex-agg",
      ],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const metrics = await runCli(["run", "show-metrics", "--name", "flex-agg"], { env });
    expect(JSON.parse(metrics.stdout)).toEqual({ average_score: 0.5, pass_rate: 0.5 });
  });

  it("a C# flex flow is refused naming the construct and the alternative", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-csharp-"));
    await writeFile(
      path.join(dir, "flow.flex.yaml"),
      "language: csharp\nentry: (FlexFlowClassInit)FunctionModeBasic.MyEntry.HelloWorldAsync\n",
    );
    const result = await runCli(["flow", "test", "--flow", dir], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'language: csharp' flex flows are not supported");
    expect(result.stderr).toContain("Port the entry to a python or TypeScript function");
  });
});
