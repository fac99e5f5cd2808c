import { type ParsedScore, parseScore } from "../common/parse-score.js";

/** Reads the judge's 1–5 score; `score` is null and `error` says why when the answer holds none. */
export default function parse({ answer }: { answer: unknown }): ParsedScore {
  return parseScore(answer);
}
