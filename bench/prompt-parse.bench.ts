/**
 * Prompt parsing on hostile input: chat prompts made of newlines, spaces, blank lines, role words,
 * markers and keys (what a caller can put in an input) through `parseChatPrompt`, directly and as an
 * interpolated value through the chat renderer. Each family is timed at 1 MB and at 8 MB in the same
 * run (both sizes outside the CPU caches): linear parsing takes ~8× longer on 8× the text (a quadratic one 64×; the backtracking regexes it
 * replaced took 67 s on 4,000 newlines). For scale it also prints `text.split("\n")` of the same 1 MB.
 * Exits non-zero when a family grows more than 32× from 1 MB to 8 MB, or a 1 MB parse takes over 1 s.
 *
 *   node --import tsx bench/prompt-parse.bench.ts
 */
import { performance } from "node:perf_hooks";
import { parseChatPrompt } from "../src/core/parse-chat-prompt.js";
import { renderChatPrompt } from "../src/core/render-prompt.js";

const TARGET_GROWTH = 32;
const LIMIT_MS = 1000;
const KB = 1024;
const ROUNDS = 7;

const families: [string, (size: number) => string][] = [
  ["newlines", (n) => "\n".repeat(n)],
  ["spaces", (n) => " ".repeat(n)],
  ["carriage returns", (n) => "\r".repeat(n)],
  ["user message of newlines", (n) => `user:\n${"\n".repeat(n)}x`],
  ["blank lines then text", (n) => `${" \n".repeat(n / 2)}x`],
  ["hash lines", (n) => "#\n".repeat(n / 2)],
  ["role words, no colons", (n) => "user\n".repeat(n / 5)],
  ["role colons, no newlines", (n) => "user: ".repeat(n / 6)],
  ["markers", (n) => "user:\n".repeat(n / 6)],
  ["name keys", (n) => `user:\n${"name:\n".repeat(n / 6)}`],
  ["tool_calls, no bracket", (n) => `assistant:\n${"tool_calls:\n[".repeat(n / 13)}`],
];

function best(fn: () => void, rounds = ROUNDS): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

function parse(text: string): void {
  try {
    parseChatPrompt(text);
  } catch (error) {
    if ((error as Error).name !== "ChatPromptError") throw error;
  }
}

const template = "system:\nYou are terse.\nuser:\n{{ question }}\n";
const ways: [string, (text: string) => void][] = [
  ["", parse],
  ["rendered: ", (text) => parse(renderChatPrompt(template, { question: text }))],
];

let failed = false;
const rows: string[] = [];
for (const [prefix, run] of ways) {
  for (const [label, make] of families) {
    const mb = make(1024 * KB);
    const big = make(8 * 1024 * KB);
    const mbMs = best(() => run(mb));
    const bigMs = best(() => run(big), 3);
    const splitMs = best(() => mb.split("\n"));
    const growth = bigMs / Math.max(mbMs, 0.05);
    const ok = growth <= TARGET_GROWTH && mbMs < LIMIT_MS;
    failed ||= !ok;
    rows.push(
      `${(prefix + label).padEnd(36)} 1 MB ${mbMs.toFixed(1).padStart(6)} ms  8 MB ${bigMs.toFixed(1).padStart(7)} ms  growth ${growth.toFixed(1).padStart(4)}×  (split 1 MB ${splitMs.toFixed(1).padStart(5)} ms)  ${ok ? "ok" : "SLOW"}`,
    );
  }
}
console.log(rows.join("\n"));
console.log(
  failed
    ? `FAIL: a family grew more than ${TARGET_GROWTH}× for 8× the text, or took over ${LIMIT_MS} ms`
    : `PASS (growth ≤ ${TARGET_GROWTH}× for 8× the text, 1 MB under ${LIMIT_MS} ms; shared machine, times are noisy)`,
);
process.exit(failed ? 1 : 0);
