import { afterEach, describe, expect, it } from "vitest";
import { PromptTemplateError, renderPrompt } from "./render-prompt.js";

// Each attack, if it ran, would set this global (and read process.env).
const CANARY = "__flowopsTemplateCanary";
const PAYLOAD = `"globalThis.${CANARY} = process.env.PATH; return 'pwned'"`;
const canary = () => (globalThis as Record<string, unknown>)[CANARY];

const attacks: [string, string, Record<string, unknown>?][] = [
  ["array key on a global function", `{{ range[["constructor"]](${PAYLOAD})() }}`],
  ["array keys on a string literal", `{{ ""[["constructor"]][["constructor"]](${PAYLOAD})() }}`],
  ["array key held in a variable", `{% set k = ["constructor"] %}{{ cycler[k](${PAYLOAD})() }}`],
  ["string key on a global function", `{{ cycler.constructor(${PAYLOAD})() }}`],
  ["key built by concatenation", `{{ range["constr" ~ "uctor"](${PAYLOAD})() }}`],
  ["key built by join", `{{ range[["constr", "uctor"] | join](${PAYLOAD})() }}`],
  ["key built by first", `{{ range[["constructor"] | first](${PAYLOAD})() }}`],
  ["key from a macro", `{% macro k() %}constructor{% endmacro %}{{ range[k()](${PAYLOAD})() }}`],
  ["key from the caller's data", `{{ range[key](${PAYLOAD})() }}`, { key: ["constructor"] }],
  ["string key from the caller's data", `{{ ""[a][a](${PAYLOAD})() }}`, { a: "constructor" }],
  ["__proto__ walk", `{{ ""["__proto__"]["constructor"]["constructor"](${PAYLOAD})() }}`],
  ["prototype of a global", `{{ range.prototype }}`],
  ["method of a global function", `{{ range.call(null, 3) }}`],
  ["method's constructor", `{{ "".trim[["constructor"]](${PAYLOAD})() }}`],
  ["cycler method's constructor", `{{ cycler(1).next.constructor(${PAYLOAD})() }}`],
  ["joiner result's constructor", `{{ joiner()[["constructor"]](${PAYLOAD})() }}`],
  ["array method's constructor", `{{ [].map[["constructor"]](${PAYLOAD})() }}`],
  ["number method's constructor", `{{ (1).toFixed[["constructor"]](${PAYLOAD})() }}`],
  ["dict's __proto__ by list key", `{{ {}[["__proto__"]][["constructor"]][["constructor"]](${PAYLOAD})() }}`],
  ["numeric key on a function", `{{ range[0] }}`],
  ["object key", `{{ range[{}] }}`],
  ["inherited name as a variable", `{{ toString[["constructor"]](${PAYLOAD})() }}`],
  ["inherited name called", `{{ valueOf().constructor }}`],
  [
    "prototype swapped by set",
    `{% set __proto__ = range %}{{ call(null, 1) }}{{ apply[["constructor"]](${PAYLOAD})() }}`,
  ],
  ["__proto__ key in the data", `{{ bind[["constructor"]](${PAYLOAD})() }}`, JSON.parse('{"__proto__": {}}')],
];

afterEach(() => {
  delete (globalThis as Record<string, unknown>)[CANARY];
});

describe("the prompt sandbox (issue 10 item 4)", () => {
  for (const [label, template, variables] of attacks) {
    it(`refuses ${label} with a template error, running no code`, () => {
      let thrown: unknown;
      let text: string | undefined;
      try {
        text = renderPrompt(template, variables ?? {});
      } catch (error) {
        thrown = error;
      }
      expect(canary()).toBeUndefined();
      expect(text ?? "").not.toContain("pwned");
      expect(text ?? "").not.toContain(process.env.PATH ?? "<no PATH>");
      expect(thrown).toBeInstanceOf(PromptTemplateError);
      expect((thrown as Error).message).toMatch(/^Failed to render the prompt template/);
    });
  }

  it("still renders ordinary member access, methods, globals and Python helpers", () => {
    const text = renderPrompt(
      "{% for i in range(2) %}{{ i }}{% endfor %} {{ d.a }} {{ d['b'] }} {{ l[1] }} {{ s.upper() }} {{ s.strip() }} {{ d.get('z', 'none') }} {% set c = cycler('x', 'y') %}{{ c.next() }}{{ c.next() }} {{ t }} {{ d[k] }}",
      { d: { a: 1, b: 2 }, l: [5, 6], s: " hi ", t: True, k: "a" },
    );
    expect(text).toBe("01 1 2 6  HI  hi none xy True 1");
  });
});

const True = true;
