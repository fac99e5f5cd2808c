// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createFlowExecutor } from "../create-flow-executor.js";
import { NotSupportedError } from "../errors.js";
import type { PythonCallHandlers, PythonPort, PythonToolCall } from "../execution-types.js";
import type { FlowDefinition, NodeDefinition } from "../flow-definition.js";
import type { ModelPort } from "../model-port.js";

const FIXTURES = fileURLToPath(new URL("./__fixtures__/", import.meta.url));
const models: ModelPort = {
  invoke: () => Promise.reject(new Error("no models here")),
  stream: () => {
    throw new Error("no models here");
  },
};

function flow(nodes: NodeDefinition[], outputs: FlowDefinition["outputs"] = {}): FlowDefinition {
  return {
    directory: FIXTURES,
    file: `${FIXTURES}flow.dag.yaml`,
    inputs: { q: { type: "string", default: "hi" } },
    outputs,
    nodes,
    node_variants: {},
    additional_includes: [],
    extra: {},
  };
}

const pythonNode = (
  inputs: Record<string, unknown>,
  extra: Partial<NodeDefinition> = {},
): NodeDefinition => ({
  name: "step",
  type: "python",
  source: { type: "code", path: "tool.py" },
  inputs,
  ...extra,
});

/** A python port that records calls and answers as the worker would (it is the port's contract). */
function recordingPort(answer: (call: PythonToolCall, handlers: PythonCallHandlers) => unknown) {
  const calls: PythonToolCall[] = [];
  const port: PythonPort = {
    async call(call, handlers = {}) {
      calls.push(call);
      return answer(call, handlers);
    },
    async inspect() {
      return {
        name: "step",
        params: [
          { name: "q", required: true, annotation: "str" },
          { name: "conn", required: true, annotation: "CustomConnection", connection: true },
        ],
      };
    },
  };
  return { port, calls };
}

describe("python nodes", () => {
  it("without a python runtime, fail with a NotSupportedError naming the node", async () => {
    const executor = await createFlowExecutor(flow([pythonNode({})]), { models });
    const error = await executor.run({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as Error).message).toMatch(/'step' is a python node: .*ExecutorOptions\.python/);
  });

  it("call the tool with the file's absolute path and pass typed connections as objects, looked up by name", async () => {
    const { port, calls } = recordingPort((call) => `${call.inputs.q} via ${call.connections?.conn?.name}`);
    const lookups: string[] = [];
    const executor = await createFlowExecutor(
      flow([pythonNode({ q: "${inputs.q}", conn: "my_conn" })], { out: { reference: "${step.output}" } }),
      {
        models,
        python: port,
        connections: {
          async get(name) {
            lookups.push(name);
            return name === "my_conn"
              ? { type: "custom", name, configs: { a: "1" }, secrets: {} }
              : undefined;
          },
        },
      },
    );
    expect((await executor.run({})).outputs).toEqual({ out: "hi via my_conn" });
    expect(calls[0]).toMatchObject({ node: "step", file: `${FIXTURES}tool.py`, inputs: { q: "hi" } });
    expect(calls[0]!.inputs).not.toHaveProperty("conn");
    expect(lookups).toEqual(["my_conn"]);
  });

  it("name the missing connection and the input that names it", async () => {
    const { port } = recordingPort(() => "never");
    const executor = await createFlowExecutor(flow([pythonNode({ q: "x", conn: "nope" })]), {
      models,
      python: port,
      connections: { get: async () => undefined },
    });
    await expect(executor.run({})).rejects.toThrow(
      /input 'conn' names connection 'nope', which does not exist/,
    );
  });

  it("refuse a node whose inputs leave a parameter of its tool without a value, naming it", async () => {
    const { port, calls } = recordingPort(() => "never");
    const executor = await createFlowExecutor(flow([pythonNode({ q: "x" })]), { models, python: port });
    await expect(executor.run({})).rejects.toThrow(
      /Node 'step': its tool step\(\) needs 'conn', which the node's inputs do not give: .*--connections step\.conn=NAME/,
    );
    expect(calls).toHaveLength(0);
  });

  it("join a generator tool's chunks when not streaming, and hand them on as a stream when streaming", async () => {
    const { port } = recordingPort((_call, handlers) => {
      for (const chunk of ["a ", "b ", "c"]) handlers.onChunk?.(chunk);
      return null;
    });
    const definition = flow([pythonNode({ q: "x", conn: "c" })], { out: { reference: "${step.output}" } });
    const executor = await createFlowExecutor(definition, {
      models,
      python: port,
      connections: { get: async (name) => ({ type: "custom", name, configs: {}, secrets: {} }) },
    });
    expect((await executor.run({})).outputs).toEqual({ out: "a b c" });
    const streamed = (await executor.run({}, { stream: true })).outputs.out as AsyncIterable<string>;
    const chunks: string[] = [];
    for await (const chunk of streamed) chunks.push(chunk);
    expect(chunks).toEqual(["a ", "b ", "c"]);
  });

  it("forward log_metric calls of aggregation nodes to the run's metrics", async () => {
    const { port } = recordingPort((call, handlers) => {
      const grades = call.inputs.grades as string[];
      handlers.onMetric?.("accuracy", grades.filter((g) => g === "ok").length / grades.length);
      return grades;
    });
    const definition = flow([
      { ...pythonNode({ q: "${inputs.q}" }), name: "grade" },
      { ...pythonNode({ grades: "${grade.output}" }), name: "score", aggregation: true },
    ]);
    const executor = await createFlowExecutor(definition, {
      models,
      python: {
        call: (call, handlers) =>
          call.node === "grade" ? Promise.resolve(call.inputs.q) : port.call(call, handlers),
      },
    });
    const lines = await Promise.all(
      ["ok", "bad"].map(async (q) => ({ inputs: { q }, result: await executor.run({ q }) })),
    );
    expect((await executor.runAggregation(lines)).metrics).toEqual({ accuracy: 0.5 });
  });
});
