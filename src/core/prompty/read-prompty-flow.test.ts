// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createFlowExecutor } from "../create-flow-executor.js";
import { FlowValidationError } from "../errors.js";
import type { FlowDefinition } from "../flow-definition.js";
import type { ChatRequest, ModelPort, ModelRequest } from "../model-port.js";
import { readFlowDefinition } from "../read-flow-definition.js";
import { validateFlow } from "../validate-flow.js";

async function prompty(text: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "flowops-prompty-"));
  for (const [name, content] of Object.entries(extra)) await writeFile(path.join(dir, name), content);
  const file = path.join(dir, "ask.prompty");
  await writeFile(file, text);
  return file;
}

const AZURE = `---
name: Ask
model:
  api: chat
  configuration:
    type: azure_openai
    azure_deployment: gpt-4o
    api_key: \${env:AZURE_OPENAI_API_KEY}
  parameters:
    max_tokens: 64
    response_format:
      type: json_object
inputs:
  question:
    type: string
  style:
    type: string
    default: short
sample: sample.json
---
system:
Answer in a {{style}} way, as JSON.

user:
{{question}}
`;

describe("reading a .prompty file", () => {
  it("is a flow of one llm node: configuration, parameters, inputs with sample defaults, one output", async () => {
    const file = await prompty(AZURE, { "sample.json": '{"question": "Why?"}' });
    const definition = await readFlowDefinition(file);
    expect(definition.inputs).toEqual({
      question: { type: "string", default: "Why?" },
      style: { type: "string", default: "short" },
    });
    expect(definition.outputs).toEqual({ output: { type: "string", reference: "${ask.output}" } });
    expect(definition.nodes).toEqual([
      expect.objectContaining({
        name: "ask",
        type: "llm",
        api: "chat",
        provider: "AzureOpenAI",
        connection: "azure_open_ai_connection",
        source: { type: "code", path: "ask.prompty" },
        inputs: {
          deployment_name: "gpt-4o",
          max_tokens: 64,
          response_format: { type: "json_object" },
          question: "${inputs.question}",
          style: "${inputs.style}",
        },
      }),
    ]);
    expect(JSON.stringify(definition.extra)).not.toContain("AZURE_OPENAI_API_KEY");
    expect(validateFlow(definition)).toEqual([]);
  });

  it("sends only the body as the prompt", async () => {
    const file = await prompty(AZURE, { "sample.json": '{"question": "Why?"}' });
    const requests: ModelRequest[] = [];
    const models: ModelPort = {
      async invoke(request) {
        requests.push(request);
        return { text: '{"a": 1}', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
      },
      stream: () => {
        throw new Error("not streaming");
      },
    };
    const executor = await createFlowExecutor(await readFlowDefinition(file), { models });
    // response_format json_object: the answer is parsed, as promptflow's prompty returns a dict, and
    // with no declared outputs its keys are the flow's outputs (promptflow's dict outputs).
    expect((await executor.run({ style: "long" })).outputs).toEqual({ a: 1 });
    expect((requests[0] as ChatRequest).messages).toEqual([
      { role: "system", content: "Answer in a long way, as JSON." },
      { role: "user", content: "Why?" },
    ]);
    expect(requests[0]).toMatchObject({ model: "gpt-4o", connection: "azure_open_ai_connection" });
  });

  it("reports a file without front matter, and a bad api, naming the file", async () => {
    const bare = await prompty("system:\nHello\n");
    const error = await readFlowDefinition(bare).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowValidationError);
    expect((error as FlowValidationError).diagnostics[0]).toMatchObject({
      code: "PromptyFrontMatter",
      file: bare,
    });
    const badApi = await prompty("---\nmodel:\n  api: embedding\n---\nuser:\nhi\n");
    const diagnostics = ((await readFlowDefinition(badApi).catch((e: unknown) => e)) as FlowValidationError)
      .diagnostics;
    expect(diagnostics[0]).toMatchObject({ code: "PromptySchema", field: "model.api" });
  });

  it("runs as a node of a DAG flow: type prompty, or an llm node pointing at it, the node's inputs winning", async () => {
    const file = await prompty(AZURE, { "sample.json": "{}" });
    const requests: ModelRequest[] = [];
    const models: ModelPort = {
      async invoke(request) {
        requests.push(request);
        return { text: '{"ok": true}', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
      },
      stream: () => {
        throw new Error("not streaming");
      },
    };
    const definition: FlowDefinition = {
      directory: path.dirname(file),
      file: path.join(path.dirname(file), "flow.dag.yaml"),
      inputs: { q: { type: "string" } },
      outputs: { a: { reference: "${a.output}" }, b: { reference: "${b.output}" } },
      nodes: [
        {
          name: "a",
          type: "prompty",
          source: { type: "code", path: "ask.prompty" },
          inputs: { question: "${inputs.q}" },
        },
        {
          name: "b",
          type: "llm",
          source: { type: "code", path: "ask.prompty" },
          connection: "other",
          inputs: { question: "${inputs.q}", style: "long", max_tokens: 5 },
        },
      ],
      node_variants: {},
      additional_includes: [],
      extra: {},
    };
    expect(validateFlow(definition)).toEqual([]);
    const executor = await createFlowExecutor(definition, { models });
    expect((await executor.run({ q: "Why?" })).outputs).toEqual({ a: { ok: true }, b: { ok: true } });
    const byNode = Object.fromEntries(requests.map((r) => [r.node, r as ChatRequest]));
    expect(byNode.a).toMatchObject({
      connection: "azure_open_ai_connection",
      model: "gpt-4o",
      parameters: { max_tokens: 64 },
    });
    expect(byNode.b).toMatchObject({ connection: "other", model: "gpt-4o", parameters: { max_tokens: 5 } });
    expect(byNode.b!.messages[0]).toEqual({ role: "system", content: "Answer in a long way, as JSON." });
  });

  it("with declared outputs and a JSON answer, has one flow output per declared field", async () => {
    const file = await prompty(
      AZURE.replace("sample: sample.json", "outputs:\n  name:\n    type: string\n  age:\n    type: int"),
    );
    const definition = await readFlowDefinition(file);
    expect(definition.outputs).toEqual({
      name: { type: "string", reference: "${ask.output.name}" },
      age: { type: "int", reference: "${ask.output.age}" },
    });
    const models: ModelPort = {
      invoke: async () => ({
        text: '```json\n{"name": "Ada", "age": 36, "extra": 1}\n```',
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
      stream: () => {
        throw new Error("not streaming");
      },
    };
    const executor = await createFlowExecutor(definition, { models });
    expect((await executor.run({ question: "Who?" })).outputs).toEqual({ name: "Ada", age: 36 });
  });
});
