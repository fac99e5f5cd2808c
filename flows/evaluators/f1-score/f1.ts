import { normalizeAnswer } from "../common/text.js";

/**
 * SQuAD's token F1: both answers normalised (lower case, no punctuation or articles), split into
 * tokens, and scored by the harmonic mean of token precision and recall (tokens counted with
 * multiplicity). Two empty answers score 1; one empty answer scores 0.
 */
export default function f1Score({
  groundtruth,
  prediction,
}: {
  groundtruth: unknown;
  prediction: unknown;
}): number {
  const expected = tokens(groundtruth);
  const actual = tokens(prediction);
  if (expected.length === 0 || actual.length === 0) return expected.length === actual.length ? 1 : 0;
  const remaining = new Map<string, number>();
  for (const token of expected) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of actual) {
    const left = remaining.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      remaining.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / actual.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

function tokens(value: unknown): string[] {
  const text = normalizeAnswer(value);
  return text.length === 0 ? [] : text.split(" ");
}
