/**
 * promptflow.core's Prompty called from python (flex entries written for this project in the style
 * of promptflow's chat-minimal and chat-stream examples): the prompty runs in the flowops engine
 * through the worker protocol, against a local server speaking OpenAI's wire protocol, streaming
 * chunk by chunk when its parameters say `stream: true`.
 */

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFlow } from "../../src/load-flow.js";
import { runCli } from "../support/run-cli.js";
import { openAIConnectionVariable, startOpenAIServer } from "../support/vendor-servers/openai-server.js";
import { defaultReplyText, type VendorServer } from "../support/vendor-servers/scripted-server.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat");
const flow = (name: string) => path.join(fixtures, name);

describe("Prompty from python code", () => {
  let openai: VendorServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    openai = await startOpenAIServer();
    env = {
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-prompty-")),
      FLOWOPS_LLM_MODE: "live",
      ...openAIConnectionVariable(openai),
    };
  });
  afterAll(async () => {
    await openai.close();
  });

  it("Prompty.load(source=...)(question=...) runs the prompty through flowops' model provider", async () => {
    const before = openai.requests.length;
    const result = await runCli(["flow", "test", "--flow", flow("flex-prompty")], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ output: defaultReplyText });
    const request = openai.requests[before]!;
    expect(request.path).toBe("/v1/chat/completions");
    const body = request.body as {
      model: string;
      messages: { role: string; content: string }[];
      temperature: number;
    };
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.temperature).toBe(0.2);
    expect(body.messages.at(-1)).toEqual({ role: "user", content: "What's Azure Machine Learning?" });
  });

  it("a model configuration from init overrides the prompty's, and a streaming prompty streams to the caller", async () => {
    const fn = await loadFlow(flow("flex-prompty/stream.flex.yaml"), { env });
    try {
      const before = openai.requests.length;
      const events: Record<string, unknown>[] = [];
      for await (const event of fn.stream({ question: "Stream please" })) events.push(event);
      expect(events[0]).toEqual({ history_used: 0 });
      const chunks = events.slice(1).map((e) => e["answer"]);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join("")).toBe(defaultReplyText);
      const body = openai.requests[before]!.body as { model: string; stream: boolean };
      expect(body).toMatchObject({ model: "gpt-35-turbo", stream: true });

      // Not streamed: the answer is joined, as `pf flow test` prints it.
      const history = [{ inputs: { question: "Hi" }, outputs: { answer: "Hello" } }];
      expect(await fn({ question: "Again", chat_history: history })).toEqual({
        answer: defaultReplyText,
        history_used: 1,
      });
      const messages = (openai.requests.at(-1)!.body as { messages: { content: string }[] }).messages;
      expect(messages.map((m) => m.content)).toEqual([
        "You are a helpful assistant.",
        "Hi",
        "Hello",
        "Again",
      ]);
    } finally {
      await fn.close();
    }
  });

  it("a prompty error reaches python as an exception naming the problem", async () => {
    const fn = await loadFlow(flow("flex-prompty/stream.flex.yaml"), {
      env,
      init: { model_config: { connection: "missing_connection", azure_deployment: "x" } },
    });
    try {
      await expect(fn({ question: "Q" })).rejects.toThrow(/missing_connection/);
    } finally {
      await fn.close();
    }
  });
});
