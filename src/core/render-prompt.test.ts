import { describe, expect, it } from "vitest";
import { compilePrompt, PromptTemplateError, renderPrompt } from "./render-prompt.js";

describe("renderPrompt", () => {
  it("renders promptflow-style Jinja2 with trim_blocks and loops over chat history", () => {
    const template =
      "{% for item in chat_history %}\nuser:\n{{ item.inputs.question }}\n{% endfor %}\nuser:\n{{ question }}";
    const text = renderPrompt(template, { chat_history: [{ inputs: { question: "a" } }], question: "b" });
    expect(text).toBe("user:\na\nuser:\nb");
  });

  it("drops the newline after a comment, as Jinja2's trim_blocks does (promptflow's templates open with one)", () => {
    const template = "{# Please replace the template with your own prompt. #}\nWrite a {{ text }} program.\n";
    expect(renderPrompt(template, { text: "Python" })).toBe("Write a Python program.\n");
    expect(renderPrompt("A{# one #}\r\nB {# two\nlines #}\nC\n{#- trimmed -#}\n D", {})).toBe("AB CD");
    expect(renderPrompt("{# note #}\n\nkeeps the blank line", {})).toBe("\nkeeps the blank line");
  });

  it("does not escape HTML: prompts are text", () => {
    expect(renderPrompt("{{ x }}", { x: "<b>&'" })).toBe("<b>&'");
  });

  it("prints values as Python's str() would in Jinja2", () => {
    expect(
      renderPrompt("{{ t }} {{ f }} {{ n }} {{ missing }}|{{ items }}", {
        t: true,
        f: false,
        n: null,
        items: ["a", "b"],
      }),
    ).toBe("True False None |a\nb");
  });

  it("has Jinja's tojson (sorted keys, Python separators, HTML-safe, ASCII)", () => {
    expect(renderPrompt("{{ v | tojson }}", { v: { b: "é<", a: [1, true, null] } })).toBe(
      '{"a": [1, true, null], "b": "\\u00e9\\u003c"}',
    );
    expect(renderPrompt("{{ v | tojson(indent=2) }}", { v: { a: 1 } })).toBe('{\n  "a": 1\n}');
  });

  it("speaks the Python dict and string methods prompts use", () => {
    const text = renderPrompt(
      "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{{ d.get('z', 'none') }} {{ s.strip().upper() }} {% if True %}yes{% endif %}",
      { d: { a: 1, b: 2 }, s: "  hi " },
    );
    expect(text).toBe("a=1;b=2;none HI yes");
    expect(renderPrompt("{{ xs | map(attribute='n') | join(',') }}", { xs: [{ n: 1 }, { n: 2 }] })).toBe(
      "1,2",
    );
  });

  it.each([
    ['{{ "".constructor.constructor("return process")() }}'],
    ['{{ range.constructor("return process")() }}'],
    ['{{ cycler.constructor("return globalThis")() }}'],
    ["{{ x.__proto__ }}"],
    ["{{ x['constructor'] }}"],
  ])("cannot reach the host through prototypes: %s", (template) => {
    expect(() => renderPrompt(template, { x: {} })).toThrow(/cannot access/);
  });

  it("resolves no prototype names as variables", () => {
    expect(renderPrompt("[{{ constructor }}][{{ __proto__ }}]", {})).toBe("[][]");
  });

  it("cannot read files: include/import fail with a clear message", () => {
    expect(() => renderPrompt('{% include "/etc/passwd" %}', {})).toThrow(
      /cannot include, import or extend other files/,
    );
    expect(() => renderPrompt('{% import "x.jinja2" as x %}', {})).toThrow(PromptTemplateError);
  });

  it("reports syntax errors at compile time, naming the template", () => {
    expect(() => compilePrompt("{% for x in %}", "prompts/chat.jinja2")).toThrow(
      /compile the prompt template 'prompts\/chat.jinja2'/,
    );
  });
});
