import { describe, expect, it } from "vitest";
import { applyNodeOverrides, parseNodeOverrides } from "./apply-node-overrides.js";
import type { FlowDefinition } from "./flow-definition.js";

const definition: FlowDefinition = {
  directory: "/flows/x",
  file: "/flows/x/flow.dag.yaml",
  additional_includes: [],
  extra: {},
  inputs: {},
  outputs: {},
  nodes: [
    {
      name: "plain",
      type: "llm",
      source: { type: "code", path: "p.jinja2" },
      inputs: { deployment_name: "a" },
      connection: "c1",
    },
    { name: "varied", use_variants: true } as FlowDefinition["nodes"][number],
  ],
  node_variants: {
    varied: {
      default_variant_id: "v0",
      variants: {
        v0: {
          node: {
            type: "llm",
            source: { type: "code", path: "v0.jinja2" },
            inputs: { deployment_name: "a" },
            connection: "c1",
          },
        },
        v1: {
          node: {
            type: "llm",
            source: { type: "code", path: "v1.jinja2" },
            inputs: { deployment_name: "b" },
            connection: "c2",
          },
        },
      },
    },
  },
};

describe("applyNodeOverrides (--connections)", () => {
  it("groups NODE.KEY pairs by node and rejects pairs without a node", () => {
    expect(
      parseNodeOverrides({ "a.connection": "x", "a.deployment_name": "y", "b.connection": "z" }),
    ).toEqual({
      a: { connection: "x", deployment_name: "y" },
      b: { connection: "z" },
    });
    expect(() => parseNodeOverrides({ connection: "x" })).toThrow(/NODE\.connection=NAME/);
    expect(() => parseNodeOverrides({ "a.": "x" })).toThrow(/NODE\.connection=NAME/);
  });

  it("sets the connection and inputs of a node and of every variant, leaving the original untouched", () => {
    const changed = applyNodeOverrides(definition, {
      plain: { connection: "c9", deployment_name: "gpt-4o" },
      varied: { connection: "c9" },
    });
    expect(changed.nodes[0]).toMatchObject({ connection: "c9", inputs: { deployment_name: "gpt-4o" } });
    expect(changed.node_variants["varied"]?.variants["v0"]?.node).toMatchObject({
      connection: "c9",
      inputs: { deployment_name: "a" },
    });
    expect(changed.node_variants["varied"]?.variants["v1"]?.node).toMatchObject({
      connection: "c9",
      inputs: { deployment_name: "b" },
    });
    expect(definition.nodes[0]?.connection).toBe("c1");
  });

  it("gives a python node's connection as its 'connection' input, as promptflow does", () => {
    const python: FlowDefinition = {
      ...definition,
      nodes: [{ name: "tool", type: "python", source: { type: "code", path: "t.py" }, inputs: { q: "x" } }],
      node_variants: {},
    };
    const changed = applyNodeOverrides(python, { tool: { connection: "c9", region: "eu" } });
    expect(changed.nodes[0]).toEqual({
      ...python.nodes[0],
      inputs: { q: "x", connection: "c9", region: "eu" },
    });
    expect(changed.nodes[0]).not.toHaveProperty("connection");
  });

  it("names the unknown node and the nodes there are", () => {
    expect(() => applyNodeOverrides(definition, { nope: { connection: "x" } })).toThrow(
      "has no node 'nope'; its nodes are plain, varied",
    );
  });
});
