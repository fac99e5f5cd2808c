// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
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
