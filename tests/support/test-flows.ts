// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Writes `files` (name → text) into `dir`, creating it; resolves with `dir`. */
export async function writeFolder(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

/** An evaluation flow: score 1 when answer equals expected; aggregation logs `accuracy`, the mean score. */
export const MATCH_FLOW = {
  "flow.dag.yaml": `
inputs:
  answer:
    type: string
  expected:
    type: string
outputs:
  score:
    type: int
    reference: \${score.output}
nodes:
  - name: score
    type: typescript
    source:
      type: code
      path: score.ts
    inputs:
      answer: \${inputs.answer}
      expected: \${inputs.expected}
  - name: accuracy
    type: typescript
    source:
      type: code
      path: accuracy.ts
    inputs:
      scores: \${score.output}
    aggregation: true
`,
  "score.ts":
    "export default ({ answer, expected }: { answer: string; expected: string }) => (answer === expected ? 1 : 0);\n",
  "accuracy.ts": `
export default function accuracy({ scores }: { scores: number[] }, context: { logMetric(name: string, value: number): void }) {
  context.logMetric("accuracy", scores.reduce((a, b) => a + b, 0) / scores.length);
}
`,
};

/**
 * Writes into `dir` the one-llm-node flow the batch, host and benchmark tests send to a local model
 * server: input `question`, output `answer`, node `ask` (chat, `gpt-4o-mini`, 16 tokens) on `connection`.
 */
export function writeAskFlow(dir: string, options: { connection: string; system: string }): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "flow.dag.yaml"),
    `inputs:
  question:
    type: string
outputs:
  answer:
    type: string
    reference: \${ask.output}
nodes:
  - name: ask
    type: llm
    source:
      type: code
      path: ask.jinja2
    inputs:
      model: gpt-4o-mini
      max_tokens: 16
      question: \${inputs.question}
    connection: ${options.connection}
    api: chat
`,
  );
  writeFileSync(path.join(dir, "ask.jinja2"), `# system:\n${options.system}\n\n# user:\n{{question}}\n`);
  return dir;
}
