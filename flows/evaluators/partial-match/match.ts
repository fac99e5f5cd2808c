import { toItems } from "../common/text.js";

export interface PartialMatchInputs {
  groundtruth: unknown;
  prediction: unknown;
  /** Separates the items of a string (default ","). */
  separator?: string;
}

export interface PartialMatchResult {
  /** 1 when both sides hold the same items (case/space-insensitive), else 0. */
  exact_match: number;
  /** 1 when at least one predicted item matches (equals, contains or is contained in) an expected one. */
  partial_match: number;
}

/**
 * The seed's NER evaluation: compares two lists of entities (lists, or comma-separated strings).
 * When nothing is expected ("None"), only an empty prediction matches, exactly and partially.
 */
export default function partialMatch({
  groundtruth,
  prediction,
  separator = ",",
}: PartialMatchInputs): PartialMatchResult {
  const expected = toItems(groundtruth, separator);
  const actual = toItems(prediction, separator);
  const actualSet = new Set(actual);
  const exact = expected.length === actualSet.size && expected.every((item) => actualSet.has(item));
  const partial =
    expected.length === 0
      ? actual.length === 0
      : actual.some((a) => expected.some((e) => a === e || a.includes(e) || e.includes(a)));
  return { exact_match: exact ? 1 : 0, partial_match: partial ? 1 : 0 };
}
