/**
 * promptflow's Python APIs in the python worker, on flows written for this project in promptflow's
 * style: ToolProvider class tools taking a connection, promptflow.contracts images (one, and a list)
 * in and out of python nodes, `activate` with literal values, additional_includes as node sources
 * and flex entries (symlinked too), OperationContext and @trace spans joining the flow's trace.
 */

import { cp, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFlow } from "../../src/load-flow.js";
import { openAIConnectionVariable, startOpenAIServer } from "../support/vendor-servers/openai-server.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat");
const flow = (name: string) => path.join(fixtures, name);

describe("promptflow python APIs", () => {
  let env: NodeJS.ProcessEnv;
  const exporter = new InMemorySpanExporter();
  beforeAll(async () => {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    env = {
      ...process.env,
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-pyapi-")),
      FLOWOPS_CONNECTION_SEARCH_SETTINGS: JSON.stringify({
        type: "custom",
        configs: { source_name: "web" },
        secrets: { token: "t0k" },
      }),
    };
  });
  afterAll(() => trace.disable());

  const run = async (name: string, inputs: Record<string, unknown> = {}) => {
    const fn = await loadFlow(flow(name), { env, tracing: false });
    try {
      return [await fn(inputs), await fn(inputs)];
    } finally {
      await fn.close();
    }
  };

  it("a ToolProvider class gets its connection in __init__ once, and the @tool method is called per line", async () => {
    const [first, second] = await run("tool-provider");
    expect(first).toEqual({ greeting: "Hello Microsoft from web (instance 1)" });
    expect(second).toEqual({ greeting: "Hello Microsoft from web (instance 1)" });
  });

  it("images go into python nodes as Image objects (alone and in lists) and come back serialized", async () => {
    const pixel = (await readFile(flow("images-python/pixel.png"))).toString("base64");
    const [outputs] = await run("images-python");
    const flipped = (outputs!["flipped"] as Record<string, string>)["data:image/png;base64"]!;
    expect(Buffer.from(flipped, "base64")).toEqual(Buffer.from(pixel, "base64").reverse());
    const size = Buffer.from(pixel, "base64").length;
    expect(outputs!["sizes"]).toEqual([size, 8, size, "Image"]);
  });

  it("activate with literal values runs or bypasses the node as promptflow does", async () => {
    const [outputs] = await run("activate-literal");
    expect(outputs).toEqual({ ran: "hi!", skipped: null });
  });

  it("additional_includes: node sources and the modules they import, flex entries, symlinked includes", async () => {
    expect((await run("include-dag"))[0]).toEqual({ out: "INCLUDED!" });
    expect((await run("include-flex"))[0]).toEqual({ output: "Hello world! gpt" });

    const dir = await mkdtemp(path.join(tmpdir(), "flowops-include-link-"));
    await cp(flow("include-dag"), path.join(dir, "flow"), { recursive: true });
    await symlink(flow("include-shared"), path.join(dir, "linked"));
    const yaml = (await readFile(path.join(dir, "flow/flow.dag.yaml"), "utf8")).replaceAll(
      "../include-shared/",
      "../linked/",
    );
    await writeFile(path.join(dir, "flow/flow.dag.yaml"), yaml);
    const fn = await loadFlow(path.join(dir, "flow"), { env, tracing: false });
    try {
      expect(await fn({ text: "linked" })).toEqual({ out: "LINKED!" });
    } finally {
      await fn.close();
    }
  });

  it("a Prompty called from python joins the python node's trace", async () => {
    const openai = await startOpenAIServer();
    exporter.reset();
    const fn = await loadFlow(flow("flex-prompty"), {
      env: {
        ...env,
        FLOWOPS_LLM_MODE: "live",
        ...openAIConnectionVariable(openai),
      },
      tracing: false,
    });
    try {
      await fn({ question: "traced?" });
    } finally {
      await fn.close();
      await openai.close();
    }
    const spans = exporter.getFinishedSpans();
    const flows = spans.filter((s) => s.name === "flowops.flow");
    expect(flows).toHaveLength(2);
    expect(flows[0]!.spanContext().traceId).toBe(flows[1]!.spanContext().traceId);
    const inner = flows.find((s) => s.parentSpanContext !== undefined)!;
    const nodes = spans.filter((s) => s.name === "flowops.node").map((s) => s.spanContext().spanId);
    expect(nodes).toContain(inner.parentSpanContext!.spanId);
  });

  it("OperationContext gives flow-id and root-run-id; @trace spans join the flow's trace", async () => {
    exporter.reset();
    // A flex entry's dict is the line's outputs, as promptflow's batch runs give it.
    const outputs = (await run("context-flex"))[0]! as Record<string, string>;
    expect(outputs["flow-id"]).toBe("context-flex");
    expect(outputs["inner"]).toBe("TRACED");
    const spans = exporter.getFinishedSpans();
    const flowTraces = spans.filter((s) => s.name === "flowops.flow").map((s) => s.spanContext().traceId);
    const inner = spans.filter((s) => s.name === "inner");
    expect(flowTraces).toHaveLength(2);
    expect(inner.map((s) => s.spanContext().traceId).sort()).toEqual([...flowTraces].sort());
    expect(flowTraces).toContain(outputs["root-run-id"]);
  });
});
