/**
 * Reads a 1–5 score out of an LLM judge's answer, robustly: "Score: 4", "4/5", "4 out of 5", "**4**",
 * JSON such as {"score": 4}, a bare "4", or words ("four"). Anything else gives `score: null` and an
 * `error` saying why; it never throws, so one odd answer does not fail the evaluation run.
 */

export interface ParsedScore {
  score: number | null;
  error: string | null;
}

const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
const NUMBER = String.raw`(\d+(?:\.\d+)?|one|two|three|four|five)`;

const PATTERNS: RegExp[] = [
  // "Score: 4", "**Score:** 4", "rating = 4", "Score - four"
  new RegExp(String.raw`\b(?:score|rating)\b[\s*_"']*(?:[:=\-]|is|of)?[\s*_"']*${NUMBER}\b`, "i"),
  // "4/5", "4 / 5", "4 out of 5", "four out of five"
  new RegExp(String.raw`\b${NUMBER}\s*(?:\/|out of)\s*(?:5|five)\b`, "i"),
  // "**4**"
  new RegExp(String.raw`\*\*\s*${NUMBER}\s*\*\*`, "i"),
  // a bare "4" or "4." or "Four"
  new RegExp(String.raw`^\s*${NUMBER}\s*\.?\s*$`, "i"),
];

export function parseScore(answer: unknown, min = 1, max = 5): ParsedScore {
  const text = typeof answer === "string" ? answer : answer == null ? "" : JSON.stringify(answer);
  if (text.trim().length === 0) return { score: null, error: "the judge gave an empty answer" };
  const found = fromJson(text) ?? fromPatterns(text) ?? fromLoneNumber(text, min, max);
  if (found === undefined) {
    return { score: null, error: `no ${min}–${max} score found in the judge's answer: ${excerpt(text)}` };
  }
  if (found < min || found > max) {
    return { score: null, error: `the judge's score ${found} is outside ${min}–${max}: ${excerpt(text)}` };
  }
  return { score: found, error: null };
}

function toNumber(token: string): number | undefined {
  const word = WORDS[token.toLowerCase()];
  if (word !== undefined) return word;
  const n = Number(token);
  return Number.isFinite(n) ? n : undefined;
}

function fromJson(text: string): number | undefined {
  const match = /\{[\s\S]*\}/.exec(text);
  if (!match) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(match[0]);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object") return undefined;
  for (const [key, value] of Object.entries(parsed)) {
    if (!/^(score|rating)$/i.test(key)) continue;
    if (typeof value === "number") return value;
    if (typeof value === "string") return toNumber(value.trim());
  }
  return undefined;
}

function fromPatterns(text: string): number | undefined {
  for (const pattern of PATTERNS) {
    const match = pattern.exec(text);
    if (match?.[1] !== undefined) return toNumber(match[1]);
  }
  return undefined;
}

/** A text whose only in-range standalone number is, say, 4 ("I would rate it 4 because ..."). */
function fromLoneNumber(text: string, min: number, max: number): number | undefined {
  const numbers = [...text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const inRange = [...new Set(numbers.filter((n) => n >= min && n <= max))];
  return inRange.length === 1 && numbers.length === 1 ? inRange[0] : undefined;
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine);
}
