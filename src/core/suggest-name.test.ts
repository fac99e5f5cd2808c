import { describe, expect, it } from "vitest";
import { didYouMean, suggestName } from "./suggest-name.js";

describe("suggestName", () => {
  it("suggests the closest name for a typo", () => {
    expect(suggestName("sumarize", ["summarize", "classify"])).toBe("summarize");
    expect(suggestName("chats", ["chat", "completion", "embedding"])).toBe("chat");
  });

  it("matches names that differ only in case", () => {
    expect(suggestName("LLM", ["llm", "prompt"])).toBe("llm");
  });

  it("suggests nothing when no name is close", () => {
    expect(suggestName("fetch", ["summarize", "classify"])).toBeUndefined();
    expect(didYouMean("fetch", [])).toBe("");
  });
});
