import { describe, expect, it } from "vitest";
import { createEnvConnectionStore } from "../connections/env-connection-store.js";
import type { ChatRequest, ModelStreamChunk } from "../core/model-port.js";
import { createModelPort } from "./create-model-port.js";
import { MOCK_LABEL, MOCK_MODEL } from "./mock-model.js";

const chat = (content: string): ChatRequest => ({
  api: "chat",
  connection: "never-configured",
  model: "gpt-4o",
  messages: [{ role: "user", content }],
  parameters: {},
});

describe("FLOWOPS_LLM_MODE=mock", () => {
  const port = createModelPort({
    connections: createEnvConnectionStore({}),
    env: { FLOWOPS_LLM_MODE: "mock" },
  });

  it("answers any chat without a connection, labelled as not a model's, the same every time", async () => {
    const first = await port.invoke(chat("What is the capital of France?"));
    expect(first.text).toMatch(
      /^\[mock answer; no model was called\] [0-9a-f]{8}: you said "What is the capital of France\?"$/,
    );
    expect(first.model).toBe(MOCK_MODEL);
    expect(await port.invoke(chat("What is the capital of France?"))).toEqual(first);
    expect((await port.invoke(chat("Something else"))).text).not.toBe(first.text);
  });

  it("streams the same labelled text", async () => {
    const chunks: ModelStreamChunk[] = [];
    for await (const chunk of port.stream(chat("Hello"))) chunks.push(chunk);
    const text = chunks.map((c) => c.text ?? "").join("");
    expect(text.startsWith(MOCK_LABEL)).toBe(true);
    expect(text).toBe((await port.invoke(chat("Hello"))).text);
  });

  it("gives deterministic unit-length embeddings, one per input", async () => {
    const response = await port.invoke({
      api: "embedding",
      connection: "x",
      model: "text-embedding-3-small",
      input: ["a", "b"],
      parameters: {},
    });
    const vectors = response.embedding as number[][];
    expect(vectors).toHaveLength(2);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 10);
    expect(vectors[0]).not.toEqual(vectors[1]);
  });
});
