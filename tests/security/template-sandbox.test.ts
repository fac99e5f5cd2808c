import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { FlowopsError } from "../../src/core/errors.js";
import { renderPrompt } from "../../src/core/render-prompt.js";

/**
 * Random member-access chains over everything a prompt template can name (nunjucks' globals, literals,
 * the caller's data, inherited names), with keys built every way the language allows (literals, lists,
 * `~`, `join`, `first`, macros, data), each step optionally called. The oracle: if any chain reached
 * `Function`, calling it with the payload sets a global canary, and printing it shows `function Function(`.
 */
const CANARY = "__flowopsSandboxCanary";
const PAYLOAD = `"globalThis.${CANARY} = 1"`;
const canary = () => (globalThis as Record<string, unknown>)[CANARY];

const NAMES = [
  "constructor",
  "prototype",
  "__proto__",
  "__defineGetter__",
  "call",
  "apply",
  "bind",
  "toString",
  "valueOf",
  "length",
  "name",
  "next",
  "current",
  "upper",
  "items",
  "get",
  "map",
];
const ROOTS = ["range", "cycler", "joiner", "cycler(1)", "joiner()", '""', "[]", "{}", "(1)", "d", "l", "s"];
const ROOTS_ANY = [...ROOTS, "toString", "valueOf", "hasOwnProperty", "constructor", "__proto__", "k"];

const split = (name: string, at: number) => [name.slice(0, at), name.slice(at)] as const;
const key = fc.oneof(
  fc.constantFrom(...NAMES).map((n) => `"${n}"`),
  fc.constantFrom(...NAMES).map((n) => `["${n}"]`),
  fc.constantFrom(...NAMES).map((n) => `(["${n}"] | first)`),
  fc
    .tuple(fc.constantFrom(...NAMES), fc.nat(12))
    .map(([n, at]) => split(n, at % (n.length + 1)))
    .chain(([a, b]) => fc.constantFrom(`("${a}" ~ "${b}")`, `(["${a}", "${b}"] | join)`)),
  fc.constantFrom("k", "kl", "m()", "0", "1", "true", "none", "{}"),
);
const step = fc.oneof(
  fc.constantFrom(...NAMES).map((n) => `.${n}`),
  key.map((k) => `[${k}]`),
  fc.constantFrom("()", `(${PAYLOAD})`),
);
const chain = fc
  .tuple(fc.constantFrom(...ROOTS_ANY), fc.array(step, { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([root, steps, call]) => `${root}${steps.join("")}${call ? `(${PAYLOAD})()` : ""}`);

const PRELUDE = '{% macro m() %}constructor{% endmacro %}{% set kl = ["constructor"] %}';
const variables = () => ({
  d: { a: 1, constructor: "own" },
  l: [1, 2],
  s: "text",
  k: "constructor",
  ...JSON.parse('{"__proto__": {"x": 1}}'),
});

afterEach(() => {
  delete (globalThis as Record<string, unknown>)[CANARY];
});

describe("template sandbox property (seeded)", () => {
  it("no member-access chain reaches Function or runs code; failures are template errors", () => {
    fc.assert(
      fc.property(chain, (expr) => {
        let text = "";
        try {
          text = renderPrompt(`${PRELUDE}{{ ${expr} }}`, variables());
        } catch (error) {
          expect(error).toBeInstanceOf(FlowopsError);
        }
        expect(canary()).toBeUndefined();
        expect(text).not.toContain("function Function(");
      }),
      { seed: 10_04, numRuns: 800 },
    );
  });
});
