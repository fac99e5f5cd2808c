import { describe, expect, it } from "vitest";
import { findCycles } from "./find-cycles.js";

const graph = (edges: Record<string, string[]>) =>
  new Map(Object.entries(edges).map(([node, deps]) => [node, new Set(deps)]));

describe("findCycles", () => {
  it("finds nothing in a DAG", () => {
    expect(findCycles(graph({ a: [], b: ["a"], c: ["a", "b"] }))).toEqual([]);
  });

  it("names a cycle as a path that returns to its start", () => {
    expect(findCycles(graph({ a: ["b"], b: ["a"], c: ["a"] }))).toEqual([["a", "b", "a"]]);
  });

  it("reports a node that depends on itself", () => {
    expect(findCycles(graph({ a: ["a"] }))).toEqual([["a", "a"]]);
  });

  it("reports each separate cycle once", () => {
    const cycles = findCycles(graph({ a: ["b"], b: ["c"], c: ["a"], x: ["y"], y: ["x"] }));
    expect(cycles).toEqual([
      ["a", "b", "c", "a"],
      ["x", "y", "x"],
    ]);
  });

  it("ignores edges to unknown nodes", () => {
    expect(findCycles(graph({ a: ["missing"] }))).toEqual([]);
  });
});
