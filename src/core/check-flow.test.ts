import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFlow, loadFlowDefinition } from "./check-flow.js";
import { FlowValidationError } from "./errors.js";

const fixtures = path.join(import.meta.dirname, "..", "..", "tests", "fixtures");

describe("checkFlow", () => {
  it("returns the definition and no diagnostics for a valid flow", async () => {
    const result = await checkFlow(path.join(fixtures, "flows", "chat-basic"));
    expect(result.diagnostics).toEqual([]);
    expect(result.definition?.inputs["question"]?.is_chat_input).toBe(true);
  });

  it("returns the definition with every semantic problem, without throwing", async () => {
    const result = await checkFlow(path.join(fixtures, "wrong-flows", "several-problems"));
    expect(result.definition).toBeDefined();
    expect(result.diagnostics.length).toBeGreaterThanOrEqual(5);
  });

  it("returns YAML problems as diagnostics, without a definition", async () => {
    const result = await checkFlow(path.join(fixtures, "wrong-flows", "yaml-syntax-error"));
    expect(result.definition).toBeUndefined();
    expect(result.diagnostics[0]?.code).toBe("YamlSyntax");
  });
});

describe("loadFlowDefinition", () => {
  it("returns a definition the executor can trust", async () => {
    const definition = await loadFlowDefinition(path.join(fixtures, "flows", "named-entity-recognition"));
    expect(definition.nodes.map((node) => node.name)).toEqual(["NER_LLM", "cleansing"]);
  });

  it("throws a FlowValidationError listing every problem", async () => {
    const error = await loadFlowDefinition(path.join(fixtures, "wrong-flows", "several-problems")).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(FlowValidationError);
    expect(error.isUserError).toBe(true);
    expect(error.message).toMatch(/^\d+ problems in the flow:/);
    expect(error.message).toContain("loop_a -> loop_b -> loop_a");
    expect(error.message).toContain("references unknown node 'sumarize'");
  });
});
