import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import type { FlowInputDefinition } from "../core/flow-definition.js";
import { mapLineInputs, validateColumnMapping } from "./column-mapping.js";

const inputs: Record<string, FlowInputDefinition> = {
  question: { type: "string" },
  answer: { type: "string" },
  k: { type: "int", default: 3 },
};

describe("mapLineInputs", () => {
  it("takes mapped data columns, then same-named columns, then defaults", () => {
    const values = mapLineInputs(
      inputs,
      { question: "${data.text}" },
      { data: { text: "why?", answer: "because", extra: 1 } },
      0,
    );
    expect(values).toEqual({ question: "why?", answer: "because", k: 3 });
  });

  it("joins the base run's outputs and inputs, and passes literals", () => {
    const values = mapLineInputs(
      inputs,
      { question: "${run.inputs.question}", answer: "${run.outputs.answer.text}", k: "7" },
      { data: {}, run: { inputs: { question: "q1" }, outputs: { answer: { text: "a1" } } } },
      1,
    );
    expect(values).toEqual({ question: "q1", answer: "a1", k: 7 });
  });

  it("converts text columns to the declared type", () => {
    expect(mapLineInputs(inputs, undefined, { data: { question: "q", answer: "a", k: "12" } }, 0).k).toBe(12);
    expect(() =>
      mapLineInputs(inputs, undefined, { data: { question: "q", answer: "a", k: "twelve" } }, 4),
    ).toThrow(/Line 4: The flow input 'k' must be int: cannot convert "twelve"/);
  });

  it("converts exactly as the engine does (one rule for flow test and batch runs)", () => {
    const typed = {
      ...inputs,
      tags: { type: "object" as const },
      items: { type: "list" as const },
    };
    const row = { question: "q", answer: "a", k: "1", tags: "a, b", items: '["x"]' };
    const values = mapLineInputs(typed, undefined, { data: row }, 0);
    // An object input keeps text that isn't JSON, as promptflow's engine does; a list input parses JSON text.
    expect(values.tags).toBe("a, b");
    expect(values.items).toEqual(["x"]);
  });

  it("fails the line with a fix when a value is missing", () => {
    expect(() => mapLineInputs(inputs, undefined, { data: { question: "q" } }, 2)).toThrow(
      /Line 2: flow input 'answer' has no value/,
    );
    expect(() =>
      mapLineInputs(inputs, { answer: "${data.nope}" }, { data: { question: "q", a: 1 } }, 3),
    ).toThrow(/\$\{data\.nope\} \(mapped to 'answer'\) does not exist; available: question, a/);
    expect(() =>
      mapLineInputs(inputs, { answer: "${run.outputs.answer}" }, { data: { question: "q" } }, 5),
    ).toThrow(/base run has no completed line/);
  });
});

describe("validateColumnMapping", () => {
  it("rejects unknown inputs, malformed references and run references without a base run", () => {
    expect(() => validateColumnMapping({ questoin: "${data.q}" }, inputs, { hasBaseRun: false })).toThrow(
      InputError,
    );
    expect(() => validateColumnMapping({ question: "${dat.q}" }, inputs, { hasBaseRun: false })).toThrow(
      /not understood/,
    );
    expect(() =>
      validateColumnMapping({ question: "${run.outputs.q}" }, inputs, { hasBaseRun: false }),
    ).toThrow(/Add --run/);
    expect(() =>
      validateColumnMapping({ question: "${run.outputs.q}", k: "5" }, inputs, { hasBaseRun: true }),
    ).not.toThrow();
  });
});
