// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FlowValidationError } from "../errors.js";
import { readFlowDefinition } from "../read-flow-definition.js";
import { parsePythonRecordFields, parsePythonSignature } from "./parse-python-signature.js";
import { resolveFlexInit } from "./resolve-init.js";

const SOURCE = `
from dataclasses import dataclass
from typing import List, Optional


@dataclass
class Answer:
    text: str
    score: float


def helper(x):
    return x


def ask(question: str, top_k: int = 3, tags: List[str] = None, strict: bool = False,
        note: Optional[str] = "n/a") -> Answer:
    return Answer(text=question, score=1.0)


class Chat:
    def __init__(self, model: str, temperature: float = 0.5):
        self.model = model

    def __call__(self, question: str, history: list = []) -> str:
        return question
`;

describe("flex flows", () => {
  it("reads python signatures: types, literal defaults, return annotations, class methods", () => {
    expect(parsePythonSignature(SOURCE, "ask")).toEqual({
      params: [
        { name: "question", type: "string", annotation: "str", hasDefault: false },
        { name: "top_k", type: "int", annotation: "int", hasDefault: true, default: 3 },
        { name: "tags", type: "list", annotation: "List[str]", hasDefault: true, default: null },
        { name: "strict", type: "bool", annotation: "bool", hasDefault: true, default: false },
        { name: "note", type: "string", annotation: "Optional[str]", hasDefault: true, default: "n/a" },
      ],
      returns: "Answer",
    });
    expect(parsePythonSignature(SOURCE, "__init__", "Chat")?.params.map((p) => p.name)).toEqual([
      "model",
      "temperature",
    ]);
    expect(parsePythonRecordFields(SOURCE, "Answer")).toEqual(["text", "score"]);
    expect(parsePythonRecordFields(SOURCE, "Chat")).toBeUndefined();
  });

  it("turns an entry into a one-node flow with inputs and outputs from the code, and init for classes", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-flex-"));
    await writeFile(path.join(dir, "app.py"), SOURCE);
    await writeFile(path.join(dir, "flow.flex.yaml"), "entry: app:ask\n");
    const fn = await readFlowDefinition(dir);
    expect(Object.keys(fn.inputs)).toEqual(["question", "top_k", "tags", "strict", "note"]);
    expect(fn.outputs).toEqual({
      text: { reference: "${ask.output.text}" },
      score: { reference: "${ask.output.score}" },
    });
    expect(fn.nodes[0]).toMatchObject({ type: "python", source: { path: "app.py", function: "ask" } });

    await writeFile(path.join(dir, "chat.flex.yaml"), "entry: app:Chat\n");
    const cls = await readFlowDefinition(path.join(dir, "chat.flex.yaml"));
    expect(cls.outputs).toEqual({ output: { reference: "${Chat.output}" } });
    expect(resolveFlexInit(cls, { model: "gpt" })).toEqual({ model: "gpt", temperature: 0.5 });
    expect(() => resolveFlexInit(cls, {})).toThrow(
      /needs the init argument 'model': pass it with --init model=VALUE/,
    );
  });

  it("names a missing entry file or function", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-flex-"));
    await writeFile(path.join(dir, "app.py"), SOURCE);
    await writeFile(path.join(dir, "flow.flex.yaml"), "entry: app:missing\n");
    const error = (await readFlowDefinition(dir).catch((e: unknown) => e)) as FlowValidationError;
    expect(error.diagnostics[0]!.message).toMatch(/'app.py' defines no function or class 'missing'/);
    await writeFile(path.join(dir, "flow.flex.yaml"), "entry: nowhere.mod:f\n");
    const missing = (await readFlowDefinition(dir).catch((e: unknown) => e)) as FlowValidationError;
    expect(missing.diagnostics[0]!.message).toMatch(/points at 'nowhere\/mod.py', which does not exist/);
  });
});
