// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
/**
 * Flows written in promptflow's format (tests/fixtures/promptflow-compat, written for this project)
 * run unchanged: python nodes in the python worker, a chat flow, a conditional flow, an evaluation
 * flow with aggregation and log_metric as a batch run, a prompty file, flex flows (python function,
 * python class with init, TypeScript), and the package tools (embedding, gpt4v with an image,
 * SerpAPI through a custom connection). Models answer from a local OpenAI-wire server through the real
 * provider; SerpAPI from a local HTTP server.
 */

import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnectionStore } from "../../src/connections/create-connection-store.js";
import { loadFlowDefinition } from "../../src/core/check-flow.js";
import { createFlowExecutor } from "../../src/core/create-flow-executor.js";
import type { ChatMessage } from "../../src/core/model-port.js";
import { createModelPort } from "../../src/providers/create-model-port.js";
import { runBatch } from "../../src/runs/run-batch.js";
import {
  createConnectionLookup,
  createPythonRunner,
  type PythonRunner,
} from "../../src/runtimes/python/index.js";
import { SqliteRunStore } from "../../src/stores/local/sqlite-run-store.js";
import { runCli } from "../support/run-cli.js";
import { openAIConnectionVariable, startOpenAIServer } from "../support/vendor-servers/openai-server.js";
import type { VendorServer } from "../support/vendor-servers/scripted-server.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat");
const flow = (name: string) => path.join(fixtures, name);

describe("promptflow flows run unchanged", () => {
  let openai: VendorServer;
  let serp: Server;
  let serpUrl: string;
  const serpQueries: URLSearchParams[] = [];
  let python: PythonRunner;
  let env: NodeJS.ProcessEnv;
  let home: string;

  beforeAll(async () => {
    openai = await startOpenAIServer();
    serp = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      serpQueries.push(url.searchParams);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ organic_results: [{ title: `Result for ${url.searchParams.get("q")}` }] }));
    });
    await new Promise<void>((resolve) => serp.listen(0, "127.0.0.1", resolve));
    serpUrl = `http://127.0.0.1:${(serp.address() as AddressInfo).port}`;
    home = await mkdtemp(path.join(tmpdir(), "flowops-pf-compat-"));
    env = {
      FLOWOPS_HOME: home,
      FLOWOPS_LLM_MODE: "live",
      ...openAIConnectionVariable(openai),
      FLOWOPS_CONNECTION_SERP_CONNECTION: JSON.stringify({
        type: "custom",
        configs: { endpoint: serpUrl },
        secrets: { api_key: "serp-secret" },
      }),
      FLOWOPS_CONNECTION_SEARCH_SETTINGS: JSON.stringify({
        type: "custom",
        configs: { source_name: "web" },
        secrets: { token: "t0k" },
      }),
    };
    python = createPythonRunner({ size: 2 });
  });

  afterAll(async () => {
    await python.stop();
    await openai.close();
    await new Promise((resolve) => serp.close(resolve));
  });

  const executorFor = async (source: string, init?: Record<string, unknown>) => {
    const store = createConnectionStore(env);
    return createFlowExecutor(await loadFlowDefinition(source), {
      models: createModelPort({ connections: store, mode: "live", env }),
      python,
      connections: createConnectionLookup(store, env),
      ...(init ? { init } : {}),
    });
  };
  const lastMessages = () => (openai.requests.at(-1)!.body as { messages: ChatMessage[] }).messages;

  it("chat: the history and the question become the conversation, the answer is the model's", async () => {
    openai.enqueue({ reply: { text: "ChatGPT is a chatbot by OpenAI." } });
    const executor = await executorFor(flow("chat-basic"));
    const chat_history = [{ inputs: { question: "Hi" }, outputs: { answer: "Hello! How can I help?" } }];
    const { outputs } = await executor.run({ chat_history, question: "What is ChatGPT?" });
    expect(outputs).toEqual({ answer: "ChatGPT is a chatbot by OpenAI." });
    expect(lastMessages()).toEqual([
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello! How can I help?" },
      { role: "user", content: "What is ChatGPT?" },
    ]);
  });

  it("conditional flow: activate runs one branch, bypasses the other, and the merge sees None", async () => {
    const executor = await executorFor(flow("conditional-if-else"));
    const safe = await executor.run({ question: "What is Prompt flow?" });
    expect(safe.outputs).toEqual({ answer: "Answer to: What is Prompt flow?" });
    expect(safe.nodes.default_result!.status).toBe("Bypassed");
    const blocked = await executor.run({ question: "Tell me the admin password" });
    expect(blocked.outputs).toEqual({
      answer: "I'm not familiar with your query: Tell me the admin password.",
    });
    expect(blocked.nodes.llm_result!.status).toBe("Bypassed");
  });

  it("evaluation flow: a batch run grades each line and the aggregation node logs the accuracy", async () => {
    const store = new SqliteRunStore({ file: path.join(home, "runs.db") });
    try {
      const run = await runBatch({
        store,
        executor: (source) => executorFor(source),
        name: "eval-accuracy",
        flow: flow("eval-accuracy"),
        data: path.join(flow("eval-accuracy"), "data.jsonl"),
        columnMapping: { groundtruth: "${data.groundtruth}", prediction: "${data.prediction}" },
        concurrency: 2,
      });
      expect(run).toMatchObject({ status: "Completed", lines: { total: 4, completed: 4, failed: 0 } });
      expect(run.metrics).toEqual({ accuracy: 0.5 });
      const lines = await store.getLines("eval-accuracy");
      expect(lines.map((line) => line.outputs)).toEqual([
        { grade: "Correct" },
        { grade: "Correct" },
        { grade: "Incorrect" },
        { grade: "Incorrect" },
      ]);
    } finally {
      store.close();
    }
  });

  it("prompty: the front matter's model, parameters and sample drive one chat call", async () => {
    openai.enqueue({ reply: { text: "John, the meaning of life is 42." } });
    const executor = await executorFor(flow("prompty-basic/basic.prompty"));
    const { outputs } = await executor.run({});
    expect(outputs).toEqual({ output: "John, the meaning of life is 42." });
    const body = openai.requests.at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: "gpt-4o-mini", max_tokens: 128, temperature: 0.2 });
    expect(lastMessages()).toEqual([
      {
        role: "system",
        content:
          "You are an AI assistant who helps people find information.\nYou are helping John Doe to find answers to their questions.\nUse their name to address them in your responses.",
      },
      { role: "user", content: "What is the meaning of life?" },
    ]);
  });

  it("flex flows: a python function, a python class with init, and TypeScript entries", async () => {
    const basic = await executorFor(flow("flex-basic"));
    expect((await basic.run({})).outputs).toEqual({ output: "Echo: Hello world!" });
    expect((await basic.run({ text: "hi", times: 2 })).outputs).toEqual({ output: "Echo: hi Echo: hi" });

    const counter = await executorFor(flow("flex-class"), { unit: "tokens" });
    expect((await counter.run({ text: "one two three" })).outputs).toEqual({ count: 3, label: "3 tokens" });
    const withDefaults = await executorFor(flow("flex-class"));
    expect((await withDefaults.run({ text: "a b" })).outputs).toEqual({ count: 2, label: "2 words" });
    // No inputs: the flow.flex.yaml's sample gives them, as for `pf flow test`.
    expect((await withDefaults.run({})).outputs).toEqual({ count: 4, label: "4 words" });

    const greeter = await executorFor(flow("flex-ts"), { greeting: "Hi" });
    expect((await greeter.run({ name: "Ada" })).outputs).toEqual({ message: "Hi, Ada!", length: 8 });
    const shout = await executorFor(flow("flex-ts/flow-function.flex.yaml"));
    expect((await shout.run({})).outputs).toEqual({ output: "HI" });
  });

  it("gpt4v package tool: an image input path reaches the model as an image_url part", async () => {
    openai.enqueue({ reply: { text: "A single pixel." } });
    const executor = await executorFor(flow("vision-chat"));
    expect((await executor.run({})).outputs).toEqual({ answer: "A single pixel." });
    const [system, user] = lastMessages();
    expect(system).toEqual({ role: "system", content: "You describe pictures in one sentence." });
    expect(user!.content).toEqual([
      { type: "text", text: "What is in this picture?" },
      { type: "image_url", image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBORw0KGgo/) } },
    ]);

    openai.enqueue({ reply: { text: "A logo." } });
    await executor.run({ image: { "data:image/png;url": "https://example.com/logo.png" } });
    expect((lastMessages()[1]!.content as { type: string }[])[1]).toEqual({
      type: "image_url",
      image_url: { url: "https://example.com/logo.png" },
    });
  });

  it("embedding and serpapi package tools, and a python tool given a custom connection by name", async () => {
    openai.enqueue({ reply: { embeddings: [[0.1, 0.2, 0.3, 0.4]] } });
    const executor = await executorFor(flow("embedding-search"));
    const { outputs } = await executor.run({ question: "What is Prompt flow?" });
    expect(outputs).toEqual({
      dimensions: 4,
      top_result: "Result for What is Prompt flow?",
      source: "web (secret token)",
    });
    const query = serpQueries.at(-1)!;
    expect(Object.fromEntries(query)).toMatchObject({
      q: "What is Prompt flow?",
      engine: "google",
      num: "3",
      api_key: "serp-secret",
    });
  });

  it("flowops flow validate and flow test run a prompty file through the CLI", async () => {
    const validated = await runCli(["flow", "validate", "--source", flow("vision-chat")], { env });
    expect(validated.stderr).toBe("");
    expect(validated.code).toBe(0);
    openai.enqueue({ reply: { text: "Hello John." } });
    const tested = await runCli(
      ["flow", "test", "--flow", flow("prompty-basic/basic.prompty"), "--inputs", "question=Hi"],
      { env },
    );
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toEqual({ output: "Hello John." });
  });

  it("flowops flow test runs python, conditional and flex flows; run create runs the evaluation with its metric", async () => {
    const ifElse = await runCli(
      ["flow", "test", "--flow", flow("conditional-if-else"), "--inputs", "question=What is the password?"],
      { env },
    );
    expect(ifElse.stderr).not.toContain("Error");
    expect(JSON.parse(ifElse.stdout)).toEqual({
      answer: "I'm not familiar with your query: What is the password?.",
    });

    const flex = await runCli(
      ["flow", "test", "--flow", flow("flex-basic"), "--inputs", "text=hi", "times=2"],
      {
        env,
      },
    );
    expect(JSON.parse(flex.stdout)).toEqual({ output: "Echo: hi Echo: hi" });

    const failing = await runCli(
      ["flow", "test", "--flow", flow("eval-accuracy"), "--inputs", "groundtruth=a", "prediction=b"],
      { env },
    );
    expect(JSON.parse(failing.stdout)).toEqual({ grade: "Incorrect" });

    const created = await runCli(
      [
        "run",
        "create",
        "--flow",
        flow("eval-accuracy"),
        "--data",
        path.join(flow("eval-accuracy"), "data.jsonl"),
        "--column-mapping",
        "groundtruth=${data.groundtruth}",
        "prediction=${data.prediction}",
        "--name",
        "cli-eval-accuracy",
      ],
      { env },
    );
    expect(created.code).toBe(0);
    const metrics = await runCli(["run", "show-metrics", "--name", "cli-eval-accuracy"], { env });
    expect(JSON.parse(metrics.stdout)).toEqual({ accuracy: 0.5 });
  });

  it("a python exception is a line error naming the node, the exception and the user's file and line", async () => {
    const executor = await executorFor(flow("eval-accuracy"));
    // Declared inputs are coerced to strings, so feed the node directly with a number.
    const error = (await executor
      .runNode("grade", { groundtruth: 1, prediction: "x" })
      .catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(
      /Node 'grade' failed: python node 'grade' raised AttributeError: .*strip.* \(.*grade\.py:6 in grade\)/,
    );
    expect(error.message).not.toContain("Traceback");
  });
});
