import { asValue, normalizeText, toItems } from "../common/text.js";

export interface ExactMatchInputs {
  groundtruth: unknown;
  prediction: unknown;
  /** Separates items when one side is a list and the other a string (default ","). */
  separator?: string;
}

/**
 * 1 when the prediction equals the ground truth ignoring case and extra spaces, else 0. When either
 * side is a list (or the JSON text of one), both are compared as sets of items (a string side split on `separator`).
 */
export default function exactMatch(inputs: ExactMatchInputs): number {
  const groundtruth = asValue(inputs.groundtruth);
  const prediction = asValue(inputs.prediction);
  const separator = inputs.separator ?? ",";
  if (Array.isArray(groundtruth) || Array.isArray(prediction)) {
    const expected = toItems(groundtruth, separator);
    const actual = new Set(toItems(prediction, separator));
    return expected.length === actual.size && expected.every((item) => actual.has(item)) ? 1 : 0;
  }
  return normalizeText(groundtruth) === normalizeText(prediction) ? 1 : 0;
}
