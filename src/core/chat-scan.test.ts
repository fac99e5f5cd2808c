import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyAndContent, splitOnRoleMarkers, toolCallsText } from "./chat-scan.js";
import { parseChatPrompt } from "./parse-chat-prompt.js";
import { stripCodeFence } from "./prompty/prompty-node-runner.js";
import { escapeValueText, unescapeText } from "./role-escape.js";

// The regexes the parser used before (promptflow's own): the reference the scanners must agree with.
// They backtrack catastrophically on long inputs, so they only ever see the short strings generated here.
const SEPARATOR = /^\s*#?\s*(system|user|assistant|function|tool)\s*:\s*\n/gim;
const NAME_AND_CONTENT = /\n*#{0,2}\s*name\s*:\s*\n+\s*(\S+)\s*\n*#{0,2}\s*content\s*:\s*\n?([\s\S]*)/;
const TOOL_CALL_ID_AND_CONTENT =
  /\n*#{0,2}\s*tool_call_id\s*:\s*\n+\s*(\S+)\s*\n*#{0,2}\s*content\s*:\s*\n?([\s\S]*)/;
const TOOL_CALLS = /\n*#{0,2}\s*tool_calls\s*:\s*\n+\s*(\[[\s\S]*?\])/;

const TOKENS = [
  "system",
  "User",
  "ASSISTANT",
  "function",
  "tool",
  ":",
  "\n",
  "\n",
  " ",
  "  ",
  "\t",
  "\r",
  "\r\n",
  "\u2028",
  "\u00a0",
  "#",
  "##",
  "name",
  "content",
  "tool_calls",
  "tool_call_id",
  "[",
  "]",
  "x",
  "bob",
  "é",
];
const promptLike = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(""));
const seeded = { seed: 20261129, numRuns: 3000 };

describe("chat-scan agrees with promptflow's regexes", () => {
  it("splits on role markers exactly as the separator regex", () => {
    fc.assert(
      fc.property(promptLike, (text) => {
        expect(splitOnRoleMarkers(text)).toEqual(text.split(SEPARATOR));
      }),
      seeded,
    );
  });

  it("reads name/content and tool_call_id/content exactly as the regexes", () => {
    fc.assert(
      fc.property(promptLike, (text) => {
        for (const [key, regex] of [
          ["name", NAME_AND_CONTENT],
          ["tool_call_id", TOOL_CALL_ID_AND_CONTENT],
        ] as const) {
          const m = regex.exec(text);
          const got = keyAndContent(text, key);
          expect(got && { value: got.value, content: got.content.trim() }).toEqual(
            m ? { value: m[1], content: m[2]!.trim() } : undefined,
          );
        }
      }),
      seeded,
    );
  });

  it("finds tool_calls text exactly as the regex", () => {
    fc.assert(
      fc.property(promptLike, (text) => {
        expect(toolCallsText(text)).toEqual(TOOL_CALLS.exec(text)?.[1]);
      }),
      seeded,
    );
  });
});

const MB = 1 << 20;
const hostile: [string, string][] = [
  ["newlines", "\n".repeat(MB)],
  ["spaces", " ".repeat(MB)],
  ["carriage returns", "\r".repeat(MB)],
  ["a user message of newlines", `user:\n${"\n".repeat(MB)}x`],
  ["blank lines then text", `${" \n".repeat(MB / 2)}x`],
  ["hash lines", "#\n".repeat(MB / 2)],
  ["role words without colons", "user\n".repeat(MB / 5)],
  ["role colons without newlines", "user: ".repeat(MB / 6)],
  ["markers", "user:\n".repeat(MB / 6)],
  ["name keys", `user:\n${"name:\n".repeat(MB / 6)}`],
  ["name with a long value", `user:\nname:\n${"x".repeat(MB)}`],
  ["tool_calls without a bracket", `assistant:\n${"tool_calls:\n[".repeat(MB / 13)}`],
  ["tool_call_id keys", `tool:\n${"tool_call_id:\n \n".repeat(MB / 17)}`],
];

describe("parseChatPrompt on 1 MB hostile prompts (linear time; bench/prompt-parse.bench.ts measures it)", () => {
  for (const [label, text] of hostile) {
    it(`completes on ${label}`, { timeout: 20_000 }, () => {
      try {
        const messages = parseChatPrompt(text);
        expect(Array.isArray(messages)).toBe(true);
      } catch (error) {
        expect((error as Error).name).toBe("ChatPromptError");
      }
    });
  }
});

describe("stripCodeFence (prompty JSON answers, untrusted model text)", () => {
  it("strips a ```json fence and stays linear on 1 MB of spaces", { timeout: 20_000 }, () => {
    expect(stripCodeFence('```json\n{"a": 1}\n```')).toBe('{"a": 1}');
    expect(stripCodeFence('{"a": 1}')).toBe('{"a": 1}');
    const spaces = " ".repeat(MB);
    expect(stripCodeFence(`${spaces}x${spaces}`).trim()).toBe("x");
  });
});

describe("escapeValueText / unescapeText (run on every printed value)", () => {
  for (const [label, text] of hostile) {
    it(`round-trips ${label}`, { timeout: 20_000 }, () => {
      expect(unescapeText(escapeValueText(text))).toBe(text);
    });
  }
});
