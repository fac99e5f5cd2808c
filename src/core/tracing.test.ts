// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { fileURLToPath } from "node:url";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { createFlowExecutor } from "./create-flow-executor.js";
import { traceValue } from "./tracing.js";

describe("traceValue", () => {
  it("redacts secret-looking keys and truncates", () => {
    const text = traceValue({ api_key: "sk-123", nested: { password: "p", token: "t", keep: "v" } });
    expect(text).not.toMatch(/sk-123|"p"|"t"/);
    expect(JSON.parse(text)).toEqual({
      api_key: "***",
      nested: { password: "***", token: "***", keep: "v" },
    });
    expect(traceValue("x".repeat(100), 10)).toBe(`"xxxxxxxxx...(truncated)`);
  });

  it("keeps token counts and model settings, which are not secrets", () => {
    const inputs = { max_tokens: 64, total_tokens: 12, accessToken: "a-token", deployment_name: "gpt" };
    expect(JSON.parse(traceValue(inputs))).toEqual({
      max_tokens: 64,
      total_tokens: 12,
      accessToken: "***",
      deployment_name: "gpt",
    });
  });
});

describe("flow and node spans", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  afterAll(() => trace.disable());

  it("records one flowops.flow span and one flowops.node span per node, with redacted inputs", async () => {
    const directory = fileURLToPath(new URL("./__fixtures__/", import.meta.url));
    const executor = await createFlowExecutor(
      {
        directory,
        file: `${directory}flow.dag.yaml`,
        inputs: { a: { type: "int" }, secret: { type: "string", default: "hunter2" } },
        outputs: { sum: { reference: "${sum.output}" } },
        nodes: [
          {
            name: "sum",
            type: "typescript",
            source: { type: "code", path: "add.ts" },
            inputs: { a: "${inputs.a}", b: 2 },
          },
          {
            name: "boom",
            type: "typescript",
            source: { type: "code", path: "fail.ts" },
            inputs: { message: "x", api_key: "${inputs.secret}" },
            activate: { when: "${inputs.a}", is: 99 },
          },
        ],
        node_variants: {},
        additional_includes: [],
        extra: {},
      },
      {
        models: {
          invoke: async () => ({ usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } }),
          stream: async function* () {},
        },
      },
    );
    await executor.run({ a: 1 }, { runId: "run-1", lineNumber: 4 });
    const spans = exporter.getFinishedSpans();
    const flowSpan = spans.find((s) => s.name === "flowops.flow")!;
    const nodeSpans = spans.filter((s) => s.name === "flowops.node");
    expect(nodeSpans).toHaveLength(1);
    expect(nodeSpans[0]!.parentSpanContext?.spanId).toBe(flowSpan.spanContext().spanId);
    expect(nodeSpans[0]!.attributes["flowops.node.name"]).toBe("sum");
    expect(nodeSpans[0]!.attributes["flowops.output"]).toBe("3");
    expect(flowSpan.attributes["flowops.run.id"]).toBe("run-1");
    expect(flowSpan.attributes["flowops.line.number"]).toBe(4);
    expect(flowSpan.attributes["flowops.inputs"]).toBe('{"a":1,"secret":"***"}');
  });

  it("keeps a streamed answer's node and flow spans open until it is read, then records its text and tokens", async () => {
    exporter.reset();
    const directory = fileURLToPath(new URL("./__fixtures__/", import.meta.url));
    const executor = await createFlowExecutor(
      {
        directory,
        file: `${directory}flow.dag.yaml`,
        inputs: { question: { type: "string" } },
        outputs: { answer: { reference: "${ask.output}" } },
        nodes: [
          {
            name: "ask",
            type: "llm",
            source: { type: "code", path: "chat.jinja2" },
            connection: "model",
            api: "chat",
            inputs: { deployment_name: "gpt", question: "${inputs.question}" },
          },
        ],
        node_variants: {},
        additional_includes: [],
        extra: {},
      },
      {
        models: {
          invoke: async () => ({ usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } }),
          stream: async function* () {
            yield { text: "Hel" };
            yield { text: "lo" };
            yield { usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } };
          },
        },
      },
    );
    const result = await executor.run({ question: "hi?" }, { stream: true });
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    let text = "";
    for await (const chunk of result.outputs.answer as AsyncIterable<string>) text += chunk;
    expect(text).toBe("Hello");
    const spans = exporter.getFinishedSpans();
    const node = spans.find((s) => s.name === "flowops.node")!;
    const flow = spans.find((s) => s.name === "flowops.flow")!;
    expect(node.attributes["flowops.output"]).toBe('"Hello"');
    expect(node.attributes["llm.usage.total_tokens"]).toBe(9);
    expect(flow.attributes["flowops.output"]).toBe('{"answer":"Hello"}');
    expect(flow.attributes["llm.usage.prompt_tokens"]).toBe(7);
  });
});
