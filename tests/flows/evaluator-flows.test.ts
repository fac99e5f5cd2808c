/**
 * The built-in evaluation flows through the real engine: each flow's line outputs and the metrics its
 * aggregation node logs. LLM-judged and embedding flows get their model answers from a ModelPort
 * written here (the engine's port, not a vendor SDK), keyed on the text being judged or embedded.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFlowDefinition } from "../../src/core/check-flow.js";
import { createFlowExecutor } from "../../src/core/create-flow-executor.js";
import type { ModelPort, ModelRequest, ModelResponse } from "../../src/core/model-port.js";

const evaluators = path.resolve(import.meta.dirname, "../../flows/evaluators");
const usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 };

function port(
  answer: (request: ModelRequest) => Partial<ModelResponse>,
): ModelPort & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    async invoke(request) {
      requests.push(request);
      return { usage, ...answer(request) };
    },
    stream() {
      throw new Error("not streamed");
    },
  };
}

async function evaluate(
  flow: string,
  lines: Record<string, unknown>[],
  models: ModelPort = port(() => ({})),
) {
  const executor = await createFlowExecutor(await loadFlowDefinition(path.join(evaluators, flow)), {
    models,
  });
  const results = [];
  for (const inputs of lines) results.push({ inputs, result: await executor.run(inputs) });
  const aggregation = await executor.runAggregation(results);
  return { outputs: results.map((r) => r.result.outputs), metrics: aggregation.metrics };
}

describe("built-in evaluation flows", () => {
  it("exact-match and partial-match score entity lists and log their rates", async () => {
    const lines = [
      { groundtruth: "project manager, data analyst", prediction: ["Data Analyst", "project manager"] },
      { groundtruth: "Lisbon, Porto", prediction: ["Lisbon"] },
      { groundtruth: "None", prediction: ["coach"] },
    ];
    const exact = await evaluate("exact-match", lines);
    expect(exact.outputs).toEqual([{ score: 1 }, { score: 0 }, { score: 0 }]);
    expect(exact.metrics).toEqual({ exact_match_rate: 0.333333 });
    const partial = await evaluate("partial-match", lines);
    expect(partial.outputs[1]).toEqual({ exact_match: 0, partial_match: 1 });
    expect(partial.metrics).toEqual({ exact_match_rate: 0.333333, partial_match_rate: 0.666667 });
  });

  it("f1-score and classification-accuracy", async () => {
    const f1 = await evaluate("f1-score", [
      { groundtruth: "the Eiffel Tower", prediction: "Eiffel Tower in Paris" },
      { groundtruth: "blue", prediction: "blue" },
    ]);
    expect(f1.metrics).toEqual({ f1_score: 0.833333 });
    const accuracy = await evaluate("classification-accuracy", [
      { groundtruth: "spam", prediction: "Spam" },
      { groundtruth: "spam", prediction: "ham" },
      { groundtruth: "ham", prediction: "ham" },
    ]);
    expect(accuracy.metrics).toEqual({ accuracy: 0.666667, "accuracy.spam": 0.5, "accuracy.ham": 1 });
  });

  it("embedding-similarity embeds both texts with the embedding api and averages the cosines", async () => {
    const vectors: Record<string, number[]> = { cat: [1, 0], kitten: [1, 1], dog: [0, 1] };
    const models = port((request) => {
      if (request.api !== "embedding") throw new Error(`expected an embedding call, got ${request.api}`);
      return { embedding: vectors[String(request.input).trim()]! };
    });
    const result = await evaluate(
      "embedding-similarity",
      [
        { groundtruth: "cat", prediction: "kitten" },
        { groundtruth: "cat", prediction: "dog" },
      ],
      models,
    );
    expect(result.outputs[0]!["score"]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(result.outputs[1]!["score"]).toBe(0);
    expect(result.metrics["embedding_similarity"]).toBeCloseTo(Math.SQRT1_2 / 2, 5);
    expect(models.requests.map((r) => r.model)).toEqual([
      "text-embedding-3-small",
      "text-embedding-3-small",
      "text-embedding-3-small",
      "text-embedding-3-small",
    ]);
  });

  it.each(["relevance", "coherence", "groundedness"])(
    "%s asks a judge for 1–5 and parses odd answers without failing",
    async (judge) => {
      const answers: Record<string, string> = {
        A: "Score: 5",
        B: "**4**",
        C: '{"score": 2}',
        D: "I cannot judge this answer.",
      };
      const models = port((request) => {
        const prompt = JSON.stringify(request.api === "chat" ? request.messages : "");
        const key = Object.keys(answers).find((k) => prompt.includes(`Answer: answer ${k}`))!;
        return { text: answers[key]! };
      });
      const lines = ["A", "B", "C", "D"].map((k) => ({
        question: "q?",
        context: "some context",
        prediction: `answer ${k}`,
      }));
      const result = await evaluate(judge, lines, models);
      expect(result.outputs.map((o) => o["score"])).toEqual([5, 4, 2, null]);
      expect(result.outputs[3]!["error"]).toMatch(/no 1–5 score found/);
      expect(result.outputs[0]!["error"]).toBeNull();
      expect(result.metrics).toEqual({
        [judge]: 3.666667,
        [`${judge}_pass_rate`]: 0.666667,
        [`${judge}_unscored`]: 1,
      });
      const system =
        models.requests[0]!.api === "chat" ? String(models.requests[0]!.messages[0]!.content) : "";
      expect(system).toContain(judge.toUpperCase());
      expect(system).toContain("Score: <1-5>");
    },
  );
});
