import { describe, expect, it } from "vitest";
import classificationAggregate from "../../flows/evaluators/classification-accuracy/aggregate.js";
import grade from "../../flows/evaluators/classification-accuracy/grade.js";
import { parseScore } from "../../flows/evaluators/common/parse-score.js";
import cosine from "../../flows/evaluators/embedding-similarity/cosine.js";
import exactAggregate from "../../flows/evaluators/exact-match/aggregate.js";
import exactMatch from "../../flows/evaluators/exact-match/match.js";
import f1Score from "../../flows/evaluators/f1-score/f1.js";
import partialAggregate from "../../flows/evaluators/partial-match/aggregate.js";
import partialMatch from "../../flows/evaluators/partial-match/match.js";
import relevanceAggregate from "../../flows/evaluators/relevance/aggregate.js";
import cleansing from "../../flows/named-entity-recognition/cleansing.js";

function metricRecorder() {
  const logged: Record<string, number> = {};
  const context = {
    logMetric(name: string, value: number) {
      logged[name] = value;
    },
  };
  return { logged, context };
}

describe("NER cleansing node", () => {
  it("splits, trims, drops None and repeats (case-insensitive, first spelling kept)", () => {
    expect(cleansing({ entities_str: ' Project Manager, "data analyst". , project manager,\t' })).toEqual([
      "Project Manager",
      "data analyst",
    ]);
    expect(cleansing({ entities_str: "None" })).toEqual([]);
    expect(cleansing({ entities_str: "" })).toEqual([]);
  });
});

describe("exact-match", () => {
  it("compares strings ignoring case and extra spaces", () => {
    expect(exactMatch({ groundtruth: "Paris ", prediction: "  paris" })).toBe(1);
    expect(exactMatch({ groundtruth: "New  York", prediction: "new york" })).toBe(1);
    expect(exactMatch({ groundtruth: "Paris", prediction: "Lyon" })).toBe(0);
  });
  it("compares a list with a comma-separated string as sets", () => {
    expect(
      exactMatch({
        groundtruth: "project manager, data analyst",
        prediction: ["Data Analyst", "project manager"],
      }),
    ).toBe(1);
    expect(
      exactMatch({ groundtruth: "project manager, data analyst", prediction: ["project manager"] }),
    ).toBe(0);
    expect(exactMatch({ groundtruth: "None", prediction: [] })).toBe(1);
  });
  it("reads a list back from its JSON text (a list given to a string flow input)", () => {
    expect(
      exactMatch({
        groundtruth: "data analyst, project manager",
        prediction: '["Project Manager","Data Analyst"]',
      }),
    ).toBe(1);
    expect(partialMatch({ groundtruth: "a, b", prediction: '["b"]' })).toEqual({
      exact_match: 0,
      partial_match: 1,
    });
    expect(exactMatch({ groundtruth: "[not json", prediction: "[NOT JSON" })).toBe(1);
  });
  it("logs exact_match_rate over the scored lines, skipping failed ones", () => {
    const { logged, context } = metricRecorder();
    expect(exactAggregate({ scores: [1, 0, 1, null, 1] }, context)).toEqual({ exact_match_rate: 0.75 });
    expect(logged).toEqual({ exact_match_rate: 0.75 });
  });
});

describe("partial-match", () => {
  it("scores exact and partial matches of entity lists", () => {
    const gt = "project manager, data analyst";
    expect(partialMatch({ groundtruth: gt, prediction: ["Project Manager", "data analyst"] })).toEqual({
      exact_match: 1,
      partial_match: 1,
    });
    expect(partialMatch({ groundtruth: gt, prediction: ["project manager"] })).toEqual({
      exact_match: 0,
      partial_match: 1,
    });
    expect(partialMatch({ groundtruth: gt, prediction: ["senior project manager"] })).toEqual({
      exact_match: 0,
      partial_match: 1,
    });
    expect(partialMatch({ groundtruth: gt, prediction: ["accountant"] })).toEqual({
      exact_match: 0,
      partial_match: 0,
    });
  });
  it("treats None as an empty list on either side", () => {
    expect(partialMatch({ groundtruth: "None", prediction: [] })).toEqual({
      exact_match: 1,
      partial_match: 1,
    });
    expect(partialMatch({ groundtruth: "None", prediction: ["coach"] })).toEqual({
      exact_match: 0,
      partial_match: 0,
    });
    expect(partialMatch({ groundtruth: "Lisbon", prediction: "None" })).toEqual({
      exact_match: 0,
      partial_match: 0,
    });
  });
  it("logs both rates", () => {
    const { logged, context } = metricRecorder();
    partialAggregate({ exact_match: [1, 0, 0, 1], partial_match: [1, 1, 0, 1] }, context);
    expect(logged).toEqual({ exact_match_rate: 0.5, partial_match_rate: 0.75 });
  });
});

describe("f1-score", () => {
  it("computes SQuAD token F1 after normalisation", () => {
    expect(f1Score({ groundtruth: "The Eiffel Tower", prediction: "eiffel tower!" })).toBe(1);
    // prediction tokens: eiffel tower in paris (4), truth: eiffel tower (2) → p=0.5, r=1 → 2/3
    expect(f1Score({ groundtruth: "the Eiffel Tower", prediction: "Eiffel Tower in Paris" })).toBeCloseTo(
      2 / 3,
      10,
    );
    expect(f1Score({ groundtruth: "red red blue", prediction: "red" })).toBeCloseTo(0.5, 10);
    expect(f1Score({ groundtruth: "cat", prediction: "dog" })).toBe(0);
    expect(f1Score({ groundtruth: "", prediction: "" })).toBe(1);
    expect(f1Score({ groundtruth: "the", prediction: "something" })).toBe(0);
  });
});

describe("classification-accuracy", () => {
  it("grades labels case-insensitively and logs overall and per-class accuracy", () => {
    expect(grade({ groundtruth: "Positive", prediction: " positive." })).toBe(1);
    expect(grade({ groundtruth: "positive", prediction: "negative" })).toBe(0);
    const { logged, context } = metricRecorder();
    classificationAggregate({ scores: [1, 0, 1, 1], groundtruth: ["pos", "pos", "neg", "Neg"] }, context);
    expect(logged).toEqual({ accuracy: 0.75, "accuracy.pos": 0.5, "accuracy.neg": 1 });
  });
});

describe("embedding-similarity cosine", () => {
  it("computes the cosine of two vectors and null for unusable ones", () => {
    expect(cosine({ groundtruth: [1, 0], prediction: [1, 0] })).toBeCloseTo(1, 12);
    expect(cosine({ groundtruth: [1, 0], prediction: [0, 2] })).toBeCloseTo(0, 12);
    expect(cosine({ groundtruth: [1, 2, 3], prediction: [[2, 4, 6]] })).toBeCloseTo(1, 12);
    expect(cosine({ groundtruth: [1, 1], prediction: [-1, -1] })).toBeCloseTo(-1, 12);
    expect(cosine({ groundtruth: [1, 2], prediction: [1, 2, 3] })).toBeNull();
    expect(cosine({ groundtruth: [0, 0], prediction: [1, 2] })).toBeNull();
    expect(cosine({ groundtruth: undefined, prediction: [1] })).toBeNull();
  });
});

describe("LLM judge score parsing", () => {
  it.each([
    ["Score: 4", 4],
    ["score:5", 5],
    ["**Score:** 3", 3],
    ["Rating = 2", 2],
    ["4/5", 4],
    ["I'd say 3 / 5 overall.", 3],
    ["four out of five", 4],
    ["**4**", 4],
    ["4", 4],
    ["5.", 5],
    ["Three", 3],
    ["Score: four", 4],
    ['{"score": 4}', 4],
    ['```json\n{"reason": "on topic", "Score": "5"}\n```', 5],
    ["The answer is on topic and complete. I would rate it 5.", 5],
    ["Score: 3.5", 3.5],
  ])("reads %j as %d", (answer, score) => {
    expect(parseScore(answer)).toEqual({ score, error: null });
  });

  it.each([
    ["", /empty answer/],
    ["The answer is fine.", /no 1–5 score found/],
    ["Score: 7", /outside 1–5/],
    ["It covers 2 of the 3 points.", /no 1–5 score found/],
    ['{"score": "excellent"}', /no 1–5 score found/],
  ])("gives null and an error for %j", (answer, error) => {
    const parsed = parseScore(answer);
    expect(parsed.score).toBeNull();
    expect(parsed.error).toMatch(error);
  });

  it("never throws, whatever the answer", () => {
    for (const answer of [null, undefined, 42, { score: 4 }, ["x"], "{not json"]) {
      expect(() => parseScore(answer)).not.toThrow();
    }
    expect(parseScore({ score: 4 })).toEqual({ score: 4, error: null });
  });

  it("aggregates the judge's scores, counting unscored lines apart", () => {
    const { logged, context } = metricRecorder();
    relevanceAggregate({ scores: [5, 4, null, 2, 3] }, context);
    expect(logged).toEqual({ relevance: 3.5, relevance_pass_rate: 0.5, relevance_unscored: 1 });
  });
});
