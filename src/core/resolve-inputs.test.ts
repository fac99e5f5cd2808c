// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { describe, expect, it } from "vitest";
import { InputError } from "./errors.js";
import { coerceFlowInputs, coerceValue, compilePath, compileValue, isConstant } from "./resolve-inputs.js";

describe("compileValue", () => {
  const state = { inputs: { x: 1 }, nodes: { a: { b: [10, 20] } } };
  const bind = (ref: { kind: string; name?: string; node?: string; path: string[] }) => {
    const read = compilePath(ref.path, "test");
    return (s: typeof state) =>
      read(ref.kind === "inputs" ? s.inputs[ref.name as "x"] : s.nodes[ref.node as "a"]);
  };

  it("keeps literals as they are and resolves references, also nested in lists and objects", () => {
    const literal = { k: [1, 2] };
    const getter = compileValue(literal, bind as never);
    expect(isConstant(getter)).toBe(true);
    expect(getter(state as never)).toBe(literal);
    const nested = compileValue({ a: "${inputs.x}", list: ["${a.output.b.1}", "text"] }, bind as never);
    expect(nested(state as never)).toEqual({ a: 1, list: [20, "text"] });
  });

  it("names the missing property", () => {
    const read = compilePath(["b", "c"], "node 'a' output");
    expect(() => read({ b: { d: 1 } })).toThrow(/Cannot read 'b.c' of the node 'a' output: it has no 'c'/);
    expect(() => compilePath(["constructor"], "x")({})).toThrow(/no 'constructor'/);
  });
});

describe("coerceFlowInputs", () => {
  const definitions = {
    n: { type: "int" as const },
    ratio: { type: "double" as const, default: 0.5 },
    on: { type: "bool" as const, default: "false" },
    tags: { type: "list" as const, default: [] },
    meta: { type: "object" as const, default: {} },
  };

  it("applies defaults and converts text to the declared types", () => {
    const out = coerceFlowInputs(definitions, {
      n: "3",
      on: "TRUE",
      tags: '["a"]',
      meta: '{"k": 1}',
      extra: "kept",
    });
    expect(out).toEqual({ n: 3, ratio: 0.5, on: true, tags: ["a"], meta: { k: 1 }, extra: "kept" });
  });

  it("throws an InputError naming the field", () => {
    expect(() => coerceFlowInputs(definitions, {})).toThrow(InputError);
    expect(() => coerceFlowInputs(definitions, { n: "x" })).toThrow(/'n' must be int/);
    expect(() => coerceFlowInputs(definitions, { n: 1, tags: "a,b" })).toThrow(/'tags' must be list/);
    try {
      coerceFlowInputs(definitions, { n: 1, on: "yes" });
    } catch (error) {
      expect(error).toMatchObject({ field: "on", code: "InputTypeError" });
    }
  });

  it("converts like promptflow's ValueType.parse", () => {
    expect(coerceValue("int", 3.9, "n")).toBe(3);
    expect(coerceValue("string", 5, "s")).toBe("5");
    expect(coerceValue("string", { a: 1 }, "s")).toBe('{"a":1}');
    expect(coerceValue("double", "1e3", "d")).toBe(1000);
  });
});
