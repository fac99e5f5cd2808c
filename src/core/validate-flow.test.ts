// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FlowDefinition, NodeDefinition } from "./flow-definition.js";
import type { ConnectionCatalog } from "./model-port.js";
import { validateFlow } from "./validate-flow.js";

const directory = mkdtempSync(path.join(tmpdir(), "flowops-validate-"));
for (const file of ["prompt.jinja2", "step.py", "step.ts"]) writeFileSync(path.join(directory, file), "");

const llm = (name: string, extra: Partial<NodeDefinition> = {}): NodeDefinition => ({
  name,
  type: "llm",
  source: { type: "code", path: "prompt.jinja2" },
  inputs: { deployment_name: "gpt-4o", text: "${inputs.text}" },
  connection: "aoai",
  api: "chat",
  ...extra,
});
const ts = (
  name: string,
  inputs: Record<string, unknown> = {},
  extra: Partial<NodeDefinition> = {},
): NodeDefinition => ({
  name,
  type: "typescript",
  source: { type: "code", path: "step.ts" },
  inputs,
  ...extra,
});
const flow = (nodes: NodeDefinition[], extra: Partial<FlowDefinition> = {}): FlowDefinition => ({
  directory,
  file: path.join(directory, "flow.dag.yaml"),
  inputs: { text: { type: "string" } },
  outputs: { result: { reference: `\${${nodes[0]?.name ?? "x"}.output}` } },
  nodes,
  node_variants: {},
  additional_includes: [],
  extra: {},
  ...extra,
});
const codes = (definition: FlowDefinition, connections?: ConnectionCatalog) =>
  validateFlow(definition, connections ? { connections } : {}).map((d) => d.code);

describe("validateFlow", () => {
  it("finds nothing wrong in a consistent flow", () => {
    expect(validateFlow(flow([llm("summarize"), ts("clean", { text: "${summarize.output.text}" })]))).toEqual(
      [],
    );
  });

  it("names the node and field, says what is wrong and suggests the fix", () => {
    const [diagnostic] = validateFlow(flow([llm("summarize"), ts("clean", { text: "${sumarize.output}" })]));
    expect(diagnostic).toMatchObject({ code: "UnknownNodeReference", node: "clean", field: "inputs.text" });
    expect(diagnostic!.message).toBe(
      "input 'text' references unknown node 'sumarize'. Did you mean 'summarize'? Nodes are: summarize, clean.",
    );
    expect(diagnostic!.file).toBe(path.join(directory, "flow.dag.yaml"));
  });

  it("collects every problem instead of stopping at the first", () => {
    const definition = flow([
      llm("summarize", { api: "chats" as never, provider: "Azure", module: "promptflow.tools.foo" }),
      ts("a", { x: "${b.output}", y: "${inputs.missing}" }),
      ts("b", { x: "${a.output}" }),
    ]);
    expect(codes(definition).sort()).toEqual(
      ["NodeCycle", "UnknownApi", "UnknownInputReference", "UnknownModule", "UnknownProvider"].sort(),
    );
  });

  it("checks references nested inside list and mapping inputs", () => {
    expect(
      codes(flow([llm("summarize"), ts("clean", { items: ["${nope.output}", { deep: "${inputs.nope}" }] })])),
    ).toEqual(["UnknownNodeReference", "UnknownInputReference"]);
  });

  it("accepts llm settings promptflow and flowops know, with the provider taken from the connection when absent", () => {
    const nodes = [
      llm("a", { provider: "AzureOpenAI", module: "promptflow.tools.aoai" }),
      llm("b", { provider: "Anthropic", api: "completion" }),
      llm("c", { api: "embedding", inputs: { model: "text-embedding-3-small", input: "${inputs.text}" } }),
    ];
    expect(validateFlow(flow(nodes))).toEqual([]);
  });

  it("checks connections against a catalog: they must exist, and llm nodes need a model connection", () => {
    const catalog: ConnectionCatalog = {
      get: (name) => ({ aoai: { name, type: "azure_open_ai" }, search: { name, type: "custom" } })[name],
    };
    expect(codes(flow([llm("a")]), catalog)).toEqual([]);
    expect(codes(flow([llm("a", { connection: "nope" })]), catalog)).toEqual(["ConnectionNotFound"]);
    expect(codes(flow([llm("a", { connection: "search" })]), catalog)).toEqual(["ConnectionTypeMismatch"]);
    expect(codes(flow([ts("a", {}, { connection: "search" })]), catalog)).toEqual([]);
    expect(codes(flow([llm("a")]))).toEqual([]); // no catalog, no connection checks
  });

  it("validates each variant of a use_variants node like a node", () => {
    const definition = flow(
      [{ name: "s", type: "llm", source: { type: "code" }, inputs: {}, use_variants: true }],
      {
        node_variants: {
          s: {
            default_variant_id: "v0",
            variants: { v0: { node: llm("s") }, v1: { node: llm("s", { api: undefined }) } },
          },
        },
      },
    );
    const diagnostics = validateFlow(definition);
    expect(diagnostics.map((d) => [d.code, d.node, d.message.slice(0, 14)])).toEqual([
      ["ApiMissing", "s", "variant 'v1': "],
    ]);
  });

  it("treats python nodes as valid when their .py file exists", () => {
    expect(
      codes(flow([{ name: "p", type: "python", source: { type: "code", path: "step.py" }, inputs: {} }])),
    ).toEqual([]);
  });

  it("rejects package tools flowops does not provide, naming the package and what flowops runs instead", () => {
    const [diagnostic] = validateFlow(
      flow([
        {
          name: "lookup",
          type: "python",
          source: {
            type: "package",
            tool: "promptflow_vectordb.tool.faiss_index_lookup.FaissIndexLookup.search",
          },
          inputs: {},
        },
      ]),
    );
    expect(diagnostic!.code).toBe("PackageToolNotSupported");
    expect(diagnostic!.message).toContain("'promptflow_vectordb.tool.faiss_index_lookup'");
    expect(diagnostic!.message).toContain("llm, prompt, typescript and python");
    expect(diagnostic!.message).toContain("embedding.embedding");
  });

  it("accepts the package tools flowops implements natively", () => {
    const tool = (name: string, tool: string): NodeDefinition => ({
      name,
      type: "python",
      source: { type: "package", tool },
      inputs: {},
    });
    expect(
      validateFlow(
        flow([
          tool("emb", "promptflow.tools.embedding.embedding"),
          tool("search", "promptflow.tools.serpapi.SerpAPI.search"),
        ]),
      ),
    ).toEqual([]);
  });

  it("allows an aggregation node to read per-line nodes and be activated by another aggregation node", () => {
    const definition = flow([
      ts("grade", { x: "${inputs.text}" }),
      ts("total", { grades: "${grade.output}" }, { aggregation: true }),
      ts(
        "alert",
        { total: "${total.output}" },
        { aggregation: true, activate: { when: "${total.output.low}", is: true } },
      ),
    ]);
    expect(validateFlow(definition)).toEqual([]);
  });
});
