import { describe, expect, it } from "vitest";
import type { FlowInputDefinition } from "../core/flow-definition.js";
import { checkFlowInputs } from "./check-flow-inputs.js";

const declared: Record<string, FlowInputDefinition> = {
  text: { type: "string" },
  count: { type: "int" },
  flag: { type: "bool" },
  items: { type: "list" },
  settings: { type: "object" },
  maybe: { type: "string", optional: true },
};

describe("checkFlowInputs", () => {
  it.each([
    [{ settings: [1, 2] }, "settings", "must be a JSON object, not a list"],
    [{ settings: 3 }, "settings", "must be a JSON object, not a number"],
    [{ settings: "plain text" }, "settings", "must be a JSON object, not a string"],
    [{ items: { a: 1 } }, "items", "must be a JSON list, not an object"],
    [{ count: { n: 1 } }, "count", "must be a whole number, not an object"],
    [{ count: 2 ** 60 }, "count", "between"],
    [{ flag: 1 }, "flag", "must be true or false, not a number"],
    [{ text: null }, "text", "must be a string, not null"],
  ])("refuses %j with a 400 naming the field", (inputs, field, message) => {
    expect(() => checkFlowInputs(declared, inputs)).toThrow(
      expect.objectContaining({ status: 400, field, message: expect.stringContaining(message) }),
    );
  });

  it("keeps promptflow's coercions from strings and accepts values of the declared types", () => {
    expect(() =>
      checkFlowInputs(declared, {
        text: { any: "json" },
        count: "3",
        flag: "true",
        items: "[1]",
        settings: '{"a": 1}',
        maybe: null,
        undeclared: [null],
      }),
    ).not.toThrow();
  });
});
