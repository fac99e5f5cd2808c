// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
/**
 * Constructs found by running promptflow's own DAG test flows (names g–z) and chat/evaluation examples
 * under `flowops flow test` (docs/promptflow-sweep/dag-g-z.md), each reproduced by a flow written for
 * this project in promptflow's style (tests/fixtures/promptflow-compat) and run through the CLI.
 */

import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv } from "../support/run-cli.js";
import { openAIConnectionVariable, startOpenAIServer } from "../support/vendor-servers/openai-server.js";
import type { VendorServer } from "../support/vendor-servers/scripted-server.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat");
const flow = (name: string) => path.join(fixtures, name);

describe("promptflow's test flows, g–z: constructs that now run as in promptflow", () => {
  let env: NodeJS.ProcessEnv;
  let openai: VendorServer;
  const { cli, json } = cliInEnv(() => env);

  beforeAll(async () => {
    openai = await startOpenAIServer();
    env = {
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-pf-sweep-b-")),
      FLOWOPS_LLM_MODE: "live",
      FLOWOPS_CONNECTION_EU_SETTINGS: JSON.stringify({
        type: "custom",
        configs: { region: "eu" },
        secrets: { token: "t0k" },
      }),
      ...openAIConnectionVariable(openai),
    };
  });

  afterAll(() => openai.close());

  it("--connections NODE.connection=NAME on run create gives a python tool its connection parameter (a Union of types)", async () => {
    const created = await cli(
      "run",
      "create",
      "--flow",
      flow("connection-union"),
      "--data",
      path.join(flow("connection-union"), "data.jsonl"),
      "--connections",
      "describe.connection=eu_settings",
      "--name",
      "union-connection",
    );
    expect(created.code, created.stderr).toBe(0);
    const details = await json("run", "show-details", "--name", "union-connection", "--format", "json");
    expect(details.map((line: { outputs: unknown }) => line.outputs)).toEqual([
      { described: { topic: "weather", kind: "Custom", region: "eu" } },
      { described: { topic: "news", kind: "Custom", region: "eu" } },
    ]);
  });

  it("a tool parameter the node's inputs leave without a value is an error naming the node and the parameter", async () => {
    const result = await cli("flow", "test", "--flow", flow("connection-union"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "Node 'describe': its tool describe() needs 'connection', which the node's inputs do not give",
    );
    expect(result.stderr).toContain("--connections describe.connection=NAME");
    expect(result.stderr).not.toContain("Traceback");
  });

  it("a template reading a parameter of its own tool ({{template}}, {{prompt}}) is refused, as promptflow does", async () => {
    const prompt = await cli("flow", "test", "--flow", flow("duplicated-inputs"));
    expect(prompt.code).toBe(2);
    expect(prompt.stderr).toContain(
      "Invalid inputs {'template'} in prompt template of node render: these inputs are duplicated with the parameters of the prompt tool.",
    );
    const llm = await cli(
      "flow",
      "test",
      "--flow",
      path.join(flow("duplicated-inputs"), "llm.flow.dag.yaml"),
    );
    expect(llm.code).toBe(2);
    expect(llm.stderr).toContain(
      "Invalid inputs {'prompt'} in prompt template of node complete: these inputs are duplicated with the parameters of the llm tool (OpenAI.completion).",
    );
  });

  it("images given as text (an image input's file name, a literal for an Image parameter) reach python as Image", async () => {
    const outputs = await json("flow", "test", "--flow", flow("image-text-input"));
    expect(outputs.described).toMatchObject({
      same: true,
      size: 70,
      // promptflow's str of an Image: the first 8 hex digits of its SHA-1; a ChatInputList joins lines.
      text: "What is it?\nImage(b2bbe763)",
    });
    expect(Object.keys(outputs.image)).toEqual(["data:image/png;base64"]);
    expect(outputs.image["data:image/png;base64"]).toMatch(/^iVBORw0KGgo/);
  });

  it("message_format: openai-vision: images in as content parts, a path, base64 text or a data URL, out as image_url parts", async () => {
    const pixel = readFileSync(path.join(flow("vision-format"), "pixel.png")).toString("base64");
    const expected = { kept: { type: "image_url", image_url: { url: `data:image/png;base64,${pixel}` } } };
    expect(await json("flow", "test", "--flow", flow("vision-format"))).toEqual(expected);
    for (const given of [
      JSON.stringify({ type: "image_file", image_file: { path: "pixel.png" } }),
      JSON.stringify({ type: "image_url", image_url: { url: `data:image/png;base64,${pixel}` } }),
      pixel,
      `data:image/png;base64,${pixel}`,
    ])
      expect(
        await json("flow", "test", "--flow", flow("vision-format"), "--inputs", `picture=${given}`),
      ).toEqual(expected);
  });

  it("given functions, an llm node's output is the assistant message: a function call runs, plain content passes", async () => {
    openai.enqueue({ reply: { functionCall: { name: "local_time", arguments: '{"city": "Paris"}' } } });
    const called = await json("flow", "test", "--flow", flow("functions-chat"));
    expect(called).toEqual({
      answer: "noon in Paris",
      llm_output: {
        content: null,
        role: "assistant",
        function_call: { name: "local_time", arguments: '{"city": "Paris"}' },
        tool_calls: null,
      },
    });
    const body = openai.requests.at(-1)!.body as Record<string, unknown>;
    expect(body.function_call).toBe("auto");
    expect((body.functions as { name: string }[])[0]!.name).toBe("local_time");

    openai.enqueue({ reply: { text: "I cannot tell." } });
    const plain = await json("flow", "test", "--flow", flow("functions-chat"));
    expect(plain).toEqual({
      answer: "I cannot tell.",
      llm_output: { content: "I cannot tell.", role: "assistant", function_call: null, tool_calls: null },
    });
  });

  it("a chat input that is a list of text and images (also in the history) reaches a vision model as image_url parts", async () => {
    openai.enqueue({ reply: { text: "Two colors." } });
    const pixel = readFileSync(path.join(flow("images-python"), "pixel.png")).toString("base64");
    const history = [
      {
        inputs: { question: ["And this one?", { "data:image/png;url": "https://example.com/logo.png" }] },
        outputs: { answer: "A logo." },
      },
    ];
    const outputs = await json(
      "flow",
      "test",
      "--flow",
      flow("vision-chat-list"),
      "--inputs",
      `chat_history=${JSON.stringify(history)}`,
    );
    expect(outputs).toEqual({ answer: "Two colors." });
    const { messages } = openai.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(messages).toEqual([
      { role: "system", content: "You are a helpful assistant." },
      {
        role: "user",
        content: [
          { type: "text", text: "And this one?" },
          { type: "image_url", image_url: { url: "https://example.com/logo.png" } },
        ],
      },
      { role: "assistant", content: "A logo." },
      {
        role: "user",
        content: [
          { type: "text", text: "How many colors can you see?" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${pixel}` } },
        ],
      },
    ]);
  });

  it("an assistant definition file becomes an AssistantDefinition whose tool_invoker describes and calls its tools", async () => {
    const { checked } = await json("flow", "test", "--flow", flow("assistant-definition"));
    expect(checked.model).toBe("gpt-4o-mini");
    expect(checked.tools).toEqual([
      {
        type: "function",
        function: {
          name: "shout",
          description: "Shout a text back.",
          parameters: {
            type: "object",
            properties: {
              text: { description: "What to shout.", type: "string" },
              times: { description: "How many times.", type: "number" },
            },
            required: ["text"],
          },
        },
      },
    ]);
    // The predefined input names a connection: the tool gets the connection object.
    expect(checked.called).toBe("HELLO HELLO (eu)");
    expect(checked.definition).toMatchObject({ model: "gpt-4o-mini", instructions: "Answer loudly." });
  });

  it("a tool file runs as the module __pf_main__ with an absolute __file__; flow test shows what it prints on stderr", async () => {
    const result = await cli("flow", "test", "--flow", flow("module-name"));
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      described: "hi from __pf_main__ in tools/describe-module.py",
    });
    expect(result.stderr).toContain("describing hi");
  });

  it("several is_chat_input flags run line by line; only --interactive needs exactly one", async () => {
    const interactive = await cli("flow", "test", "--flow", flow("image-text-input"), "--interactive");
    expect(interactive.code).toBe(2);
    expect(interactive.stderr).toContain(
      "a chat flow does not support multiple chat inputs: question, caption",
    );
  });
});
