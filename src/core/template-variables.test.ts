import { describe, expect, it } from "vitest";
import { templateVariables } from "./template-variables.js";

describe("templateVariables", () => {
  it("lists the free names a template reads, not filters, tests, keywords or names it binds", () => {
    const source = [
      "{% for item in chat_history %}{{ item.inputs.question | default('x', true) }}{% set seen = 1 %}{% endfor %}",
      "{{ question }}{% if context is defined %}{{ range(3) }}{{ fn(a=limit) }}{% endif %}{{ seen }}",
    ].join("\n");
    expect([...templateVariables(source)].sort()).toEqual(
      ["chat_history", "context", "fn", "limit", "question", "range"].sort(),
    );
  });

  it("finds a single printed name", () => {
    expect([...templateVariables("{{template}}")]).toEqual(["template"]);
  });
});
