/**
 * Seeded fuzz of the chat prompt parser and renderer (issue 10): random role markers, keys, newlines,
 * unicode and huge inputs. Properties: parsing any text ends (linear scanners, 1 MB cases included) and
 * throws nothing but a FlowopsError; a value printed into any chat template never changes the list of
 * messages (roles, names, tool calls) and comes back unchanged inside its message.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FlowopsError } from "../../src/core/errors.js";
import { parseChatPrompt } from "../../src/core/parse-chat-prompt.js";
import { renderChatPrompt } from "../../src/core/render-prompt.js";

const PIECES = [
  "system",
  "System",
  "USER",
  "assistant",
  "function",
  "tool",
  ":",
  " : ",
  "\n",
  "\n\n",
  "\r\n",
  "\r",
  "\u2028",
  " ",
  "\t",
  "\u00a0",
  "#",
  "## ",
  "name",
  "content",
  "tool_calls",
  "tool_call_id",
  "[",
  "]",
  "{",
  "}",
  '"',
  "x",
  "é",
  "漢字",
  "😀",
  "\u0000",
  "{{",
  "}}",
  "{%",
];
const piecesText = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join(""));
const text = fc.oneof(piecesText, fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }));

const TEMPLATES = [
  "system:\nBe brief.\nuser:\n{{ v }}\n",
  "system:\nBe brief.\nuser:\n{{ v }}",
  "user:\nQ: {{ v }}\nassistant:\nA: {{ v }}\nuser:\nagain\n",
  "# system:\n{{ v }}\n\n# user:\n{{ v }}{{ v }}\n",
  "system:\nS\n{% for item in history %}user:\n{{ item }}\nassistant:\nok\n{% endfor %}user:\n{{ v }}\n",
  "function:\nname:\nlookup\ncontent:\n{{ v }}\nuser:\n{{ v | upper }}\n",
  "tool:\ntool_call_id:\nc1\ncontent:\n{{ v }}\n",
  'assistant:\ntool_calls:\n[{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]\nuser:\n{{ v ~ "\\n" }}\n',
  "{% macro msg(t) %}user:\n{{ t }}\n{% endmacro %}system:\nS\n{{ msg(v) }}",
];

const shape = (messages: ReturnType<typeof parseChatPrompt>) =>
  messages.map((m) => ({
    role: m.role,
    name: m.name,
    tool_calls: m.tool_calls,
    tool_call_id: m.tool_call_id,
  }));

const seeded = (numRuns: number) => ({ seed: 1010, numRuns });

describe("prompt parser fuzz (seeded)", () => {
  it("parses any text or throws a FlowopsError, nothing else", () => {
    fc.assert(
      fc.property(fc.oneof(piecesText, fc.string({ maxLength: 200 })), (prompt) => {
        try {
          const messages = parseChatPrompt(prompt);
          expect(Array.isArray(messages)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(FlowopsError);
        }
      }),
      seeded(3000),
    );
  });

  it("ends on huge generated inputs (200 KB of repeated random pieces)", { timeout: 20_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }), (unit) => {
        const chunk = unit.join("");
        const prompt = chunk.repeat(Math.ceil(200_000 / chunk.length));
        try {
          parseChatPrompt(prompt);
          parseChatPrompt(renderChatPrompt("user:\n{{ v }}\n", { v: prompt }));
        } catch (error) {
          expect(error).toBeInstanceOf(FlowopsError);
        }
      }),
      seeded(40),
    );
  });
});

describe("renderer + parser fuzz: values never change the messages (seeded)", () => {
  it("gives the same message list for any value as for a plain one, with the value intact", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATES),
        text,
        fc.array(text, { maxLength: 3 }),
        (template, v, history) => {
          const plain = parseChatPrompt(
            renderChatPrompt(template, { v: "plain", history: history.map(() => "p") }),
          );
          let messages: ReturnType<typeof parseChatPrompt>;
          try {
            messages = parseChatPrompt(renderChatPrompt(template, { v, history }));
          } catch (error) {
            expect(error).toBeInstanceOf(FlowopsError);
            // A value may only make a message's *content* unparseable in the one way the format has:
            // none here, since every template gives each message a marker of its own.
            throw error;
          }
          expect(shape(messages)).toEqual(shape(plain));
          const contents = messages.map((m) => m.content ?? "").join("\n");
          if (v.trim() !== "" && !template.includes("upper")) expect(contents).toContain(v.trim());
        },
      ),
      seeded(2500),
    );
  });
});
