/**
 * The named-entity-recognition example's files, and the metrics its evaluators should report computed
 * independently of the evaluators' code, from the data files and the hand-written answers.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { nerAnswers } from "../../flows/scripts/answers.js";

export const flows = path.resolve(import.meta.dirname, "../../flows");
export const nerFlow = path.join(flows, "named-entity-recognition");
export const trainData = path.join(nerFlow, "data/ner-train.jsonl");
export const testData = path.join(nerFlow, "data/ner-test.jsonl");
export const partialMatch = path.join(flows, "evaluators/partial-match");
export const experimentFile = path.join(flows, "experiments/ner-experiment.yaml");

export type Row = { text: string; entity_type: string; results: string };
export type Variant = "variant_0" | "variant_1";

/** The rows of a JSONL data file. */
export async function rows(file: string): Promise<Row[]> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Row);
}

/** An answer's entities: comma-split, trimmed of spaces/dots/quotes, lower-cased, "None" = none. */
export function entitySet(answer: string): Set<string> {
  return new Set(
    answer
      .split(",")
      .map((e) =>
        e
          .trim()
          .replace(/^["'.]+|["'.]+$/g, "")
          .toLowerCase()
          .replace(/\s+/g, " "),
      )
      .filter((e) => e !== "" && e !== "none"),
  );
}

/** Exact and partial match rates a variant should get on a data file, from the answers table. */
export async function expectedRates(file: string, variant: Variant) {
  let exact = 0;
  let partial = 0;
  const data = await rows(file);
  for (const row of data) {
    const truth = entitySet(row.results);
    const found = entitySet(nerAnswers[row.text]![variant]);
    if (truth.size === found.size && [...truth].every((e) => found.has(e))) exact++;
    const overlaps = [...found].some((f) => [...truth].some((t) => f.includes(t) || t.includes(f)));
    if (truth.size === 0 ? found.size === 0 : overlaps) partial++;
  }
  return { exact_match_rate: exact / data.length, partial_match_rate: partial / data.length };
}
