// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FlowValidationError } from "./errors.js";
import { locateInFlow } from "./flow-source-map.js";
import { readFlowDefinition } from "./read-flow-definition.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "flowops-read-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFile(path.join(folder, name), text);

async function readError(source: string): Promise<FlowValidationError> {
  const error = await readFlowDefinition(source).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FlowValidationError);
  return error as FlowValidationError;
}

describe("readFlowDefinition", () => {
  it("reads flow.dag.yaml from a folder, with absolute paths and defaults for absent sections", async () => {
    await write(
      "flow.dag.yaml",
      "$schema: https://example.org/Flow.schema.json\nnodes:\n- name: a\n  type: prompt\n  source: {type: code, path: a.jinja2}\n",
    );
    const definition = await readFlowDefinition(folder);
    expect(definition.directory).toBe(folder);
    expect(definition.file).toBe(path.join(folder, "flow.dag.yaml"));
    expect(definition.inputs).toEqual({});
    expect(definition.outputs).toEqual({});
    expect(definition.node_variants).toEqual({});
    expect(definition.additional_includes).toEqual([]);
    expect(definition.extra).toEqual({ $schema: "https://example.org/Flow.schema.json" });
    expect(definition.nodes[0]).toMatchObject({
      name: "a",
      type: "prompt",
      inputs: {},
      source: { type: "code", path: "a.jinja2" },
    });
  });

  it("accepts flow.dag.yml and a path to the YAML file itself", async () => {
    await write("flow.dag.yml", "nodes: []\n");
    expect((await readFlowDefinition(folder)).file).toBe(path.join(folder, "flow.dag.yml"));
    await write("other.yaml", "nodes: []\n");
    expect((await readFlowDefinition(path.join(folder, "other.yaml"))).file).toBe(
      path.join(folder, "other.yaml"),
    );
  });

  it("gives every node its position and can locate any field", async () => {
    await write(
      "flow.dag.yaml",
      "inputs:\n  text: {type: string}\nnodes:\n- name: a\n  type: python\n  source: {type: code, path: a.py}\n  inputs:\n    text: ${inputs.text}\n",
    );
    const definition = await readFlowDefinition(folder);
    expect(definition.nodes[0]!.position).toEqual({ line: 4, column: 3 });
    expect(locateInFlow(definition, ["nodes", 0, "inputs", "text"])).toEqual({ line: 8, column: 5 });
  });

  it("reads promptflow's legacy spellings: top-level path, reduce, ${node} and ${flow.x}", async () => {
    await write(
      "flow.dag.yaml",
      "inputs:\n  x: {type: string}\noutputs:\n  o: {reference: '${b}'}\nnodes:\n- name: a\n  type: python\n  path: a.py\n  inputs: {x: '${flow.x}'}\n- name: b\n  type: python\n  path: a.py\n  inputs: {all: '${a}'}\n  reduce: true\n",
    );
    const definition = await readFlowDefinition(folder);
    expect(definition.nodes[0]).toMatchObject({
      source: { type: "code", path: "a.py" },
      inputs: { x: "${inputs.x}" },
    });
    expect(definition.nodes[1]).toMatchObject({ aggregation: true, inputs: { all: "${a.output}" } });
    expect(definition.outputs["o"]!.reference).toBe("${b.output}");
  });

  it("reads node variants, each with its position", async () => {
    await write(
      "flow.dag.yaml",
      "nodes:\n- name: s\n  use_variants: true\nnode_variants:\n  s:\n    default_variant_id: v0\n    variants:\n      v0:\n        node:\n          type: prompt\n          source: {type: code, path: p.jinja2}\n",
    );
    const definition = await readFlowDefinition(folder);
    expect(definition.nodes[0]).toMatchObject({ name: "s", use_variants: true });
    const variant = definition.node_variants["s"]!;
    expect(variant.default_variant_id).toBe("v0");
    expect(variant.variants["v0"]!.node).toMatchObject({
      type: "prompt",
      inputs: {},
      position: { line: 9, column: 9 },
    });
  });

  it("reports YAML syntax errors with file, line and column", async () => {
    await write("flow.dag.yaml", "inputs:\n  text:\n    type: string\n   bad: [\n");
    const error = await readError(folder);
    expect(error.diagnostics[0]).toMatchObject({
      code: "YamlSyntax",
      file: path.join(folder, "flow.dag.yaml"),
    });
    expect(error.diagnostics[0]!.line).toBeGreaterThanOrEqual(4);
    expect(error.message).toContain("invalid YAML");
  });

  it("reports every shape error at once, each with its line", async () => {
    await write("flow.dag.yaml", "inputs:\n  text: {}\nnodes:\n- name: a\n  inputs: [1]\n- 42\n");
    const error = await readError(folder);
    expect(error.diagnostics.map((d) => [d.field, d.line])).toEqual([
      ["inputs.text.type", 2],
      ["nodes[0].inputs", 5],
      ["nodes[1]", 6],
    ]);
  });

  it("says what to do when there is no flow", async () => {
    const error = await readError(folder);
    expect(error.diagnostics[0]!.message).toContain("has no flow.dag.yaml");
    expect((await readError(path.join(folder, "nope"))).diagnostics[0]!.message).toContain("no flow at");
  });
});
