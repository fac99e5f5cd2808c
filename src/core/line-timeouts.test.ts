// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createFlowExecutor } from "./create-flow-executor.js";
import type { FlowDefinition, NodeDefinition } from "./flow-definition.js";
import type { ModelPort, ModelRequest } from "./model-port.js";

const FIXTURES = fileURLToPath(new URL("./__fixtures__/", import.meta.url));

function flow(nodes: NodeDefinition[]): FlowDefinition {
  return {
    directory: FIXTURES,
    file: `${FIXTURES}flow.dag.yaml`,
    inputs: {},
    outputs: {},
    node_variants: {},
    additional_includes: [],
    extra: {},
    nodes,
  };
}

const wait = (name: string, ms: number): NodeDefinition => ({
  name,
  type: "typescript",
  source: { type: "code", path: "wait.ts" },
  inputs: { ms, tag: name },
});

const chat: NodeDefinition = {
  name: "chat",
  type: "llm",
  source: { type: "code", path: "chat.jinja2" },
  connection: "azure",
  api: "chat",
  inputs: { deployment_name: "gpt-4o", question: "hi", chat_history: [] },
};

/** A model that answers only when its call is aborted: records each request's signal. */
function hangingModels() {
  const aborted: string[] = [];
  const requests: ModelRequest[] = [];
  const port: ModelPort = {
    invoke(request, options) {
      requests.push(request);
      return new Promise((_, reject) => {
        options?.signal?.addEventListener("abort", () => {
          aborted.push(String(options.signal?.reason?.code ?? options.signal?.reason));
          reject(new Error("aborted"));
        });
      });
    },
    // biome-ignore lint/correctness/useYield: never streams
    async *stream() {
      throw new Error("not used");
    },
  };
  return { port, aborted, requests };
}

describe("line and node timeouts", () => {
  it("fails a line over its timeout with a clear error, aborting its model calls and running nodes", async () => {
    const models = hangingModels();
    const executor = await createFlowExecutor(flow([chat, wait("slow", 60_000), wait("quick", 1)]), {
      models: models.port,
      lineTimeoutMs: 150,
    });
    const error = await executor.run({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "LineTimeout", retryable: true });
    expect((error as Error).message).toMatch(
      /did not finish within 0\.15 s \(the line timeout\); still running: (chat, slow|slow, chat)/,
    );
    expect(models.requests).toHaveLength(1);
    expect(models.aborted).toEqual(["LineTimeout"]);
  });

  it("uses the call's timeout over the executor's, and 0 turns the limit off", async () => {
    const executor = await createFlowExecutor(flow([wait("a", 120)]), {
      models: hangingModels().port,
      lineTimeoutMs: 50,
    });
    await expect(executor.run({})).rejects.toMatchObject({ code: "LineTimeout" });
    await expect(executor.run({}, { timeoutMs: 0 })).resolves.toMatchObject({
      nodes: { a: { status: "Completed" } },
    });
    await expect(executor.run({}, { timeoutMs: 5_000 })).resolves.toBeDefined();
  });

  it("fails a node over the node timeout by name", async () => {
    const executor = await createFlowExecutor(flow([wait("fast", 1), wait("stuck", 60_000)]), {
      models: hangingModels().port,
      nodeTimeoutMs: 100,
    });
    const error = await executor.run({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NodeTimeout", node: "stuck" });
    expect((error as Error).message).toContain("Node 'stuck' did not finish within 0.1 s (the node timeout)");
  });

  it("has promptflow's 600 s line timeout by default", async () => {
    const { DEFAULT_LINE_TIMEOUT_MS } = await import("./line-timeouts.js");
    expect(DEFAULT_LINE_TIMEOUT_MS).toBe(600_000);
  });
});
