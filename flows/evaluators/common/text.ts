/**
 * Text helpers shared by the built-in evaluators: case/space-insensitive normalisation, turning an
 * answer into a list of items, and SQuAD's answer normalisation for token F1.
 */

/**
 * A flow input as the evaluator meant it: JSON text of a list (what a `string` flow input holds when
 * it was given a list, e.g. `${run.outputs.entities}`) becomes the list again; anything else is kept.
 */
export function asValue(value: unknown): unknown {
  if (typeof value !== "string" || !value.trimStart().startsWith("[")) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

/** Lower-cases, trims, collapses runs of whitespace and strips surrounding quotes and dots. */
export function normalizeText(value: unknown): string {
  return stringify(value)
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^[\s."'`]+|[\s."'`]+$/g, "");
}

/** A value as text: strings as they are, lists joined with ", ", other values as JSON. */
export function stringify(input: unknown): string {
  const value = asValue(input);
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(stringify).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * A value as a list of normalised, distinct items: a list as its items, a string split on `separator`.
 * Empty items and "None" (the NER prompt's answer for no entity) are dropped.
 */
export function toItems(value: unknown, separator = ","): string[] {
  const parts = Array.isArray(value)
    ? value.flatMap((v) => toItems(v, separator))
    : stringify(value).split(separator);
  const items = parts.map(normalizeText).filter((item) => item.length > 0 && item !== "none");
  return [...new Set(items)];
}

/** SQuAD's normalisation: lower case, no punctuation, no articles (a, an, the), single spaces. */
export function normalizeAnswer(value: unknown): string {
  return stringify(value)
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, " ")
    .replace(/\b(a|an|the)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The mean of the numbers in a list, skipping null/undefined (failed lines); null when none are left. */
export function mean(values: readonly unknown[]): number | null {
  const numbers = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (numbers.length === 0) return null;
  return numbers.reduce((sum, v) => sum + v, 0) / numbers.length;
}
