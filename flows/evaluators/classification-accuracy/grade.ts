import { normalizeText } from "../common/text.js";

/** 1 when the predicted class equals the expected one ignoring case and surrounding spaces/quotes/dots. */
export default function grade({
  groundtruth,
  prediction,
}: {
  groundtruth: unknown;
  prediction: unknown;
}): number {
  return normalizeText(groundtruth) === normalizeText(prediction) ? 1 : 0;
}
