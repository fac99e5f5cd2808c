import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { checkInputNames } from "./check-input-names.js";

describe("checkInputNames", () => {
  it("accepts declared names", () => {
    expect(() => checkInputNames({ text: "a" }, ["text", "entity_type"], "flow.dag.yaml")).not.toThrow();
  });

  it("leaves flex flows and prompty files alone (their inputs may take more than they list)", () => {
    expect(() => checkInputNames({ extra: 1 }, ["text"], "flow.flex.yaml")).not.toThrow();
    expect(() => checkInputNames({ extra: 1 }, ["text"], "chat.prompty")).not.toThrow();
  });

  it("rejects an unknown name with a did-you-mean and the declared inputs", () => {
    let error: unknown;
    try {
      checkInputNames({ entity_typ: "person" }, ["text", "entity_type"], "flow.dag.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("UnknownInput");
    expect((error as InputError).message).toBe(
      "--inputs: the flow has no input 'entity_typ'. Did you mean 'entity_type'? Its inputs are: text, entity_type (flow.dag.yaml).",
    );
  });
});
