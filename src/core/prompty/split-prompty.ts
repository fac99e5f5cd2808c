import { FlowValidationError } from "../errors.js";

export interface PromptySections {
  /** The YAML front matter's text (between the `---` lines). */
  frontMatter: string;
  /** The Jinja2 template after the front matter. */
  body: string;
  /** 1-based line where the body starts, for messages. */
  bodyLine: number;
}

const FENCE = /^---[ \t]*\r?$/;

/**
 * Splits a `.prompty` file into its YAML front matter and its Jinja2 body. The file must start with a
 * `---` line and close the front matter with another; otherwise a FlowValidationError names the file.
 */
export function splitPrompty(text: string, file: string): PromptySections {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  const start = lines.findIndex((line) => line.trim() !== "");
  const end =
    start >= 0 && FENCE.test(lines[start]!) ? lines.findIndex((l, i) => i > start && FENCE.test(l)) : -1;
  if (end < 0) {
    throw new FlowValidationError([
      {
        code: "PromptyFrontMatter",
        message:
          "a .prompty file starts with YAML front matter between two '---' lines (model, inputs, sample), followed by the prompt: add the missing '---' line.",
        file,
        line: start >= 0 ? start + 1 : 1,
      },
    ]);
  }
  return {
    frontMatter: lines.slice(start + 1, end).join("\n"),
    body: lines.slice(end + 1).join("\n"),
    bodyLine: end + 2,
  };
}

/** The Jinja2 body of a `.prompty` file (the text after its front matter). */
export function promptyBody(text: string, file: string): string {
  return splitPrompty(text, file).body;
}
