// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../tests/support/run-cli.js";
import { MATCH_FLOW, writeFolder } from "../../../tests/support/test-flows.js";
import { main } from "../main.js";

/** A flow with two variants of one TypeScript node: variant_0 upper-cases, variant_1 lower-cases. */
const CASE_FLOW = {
  "flow.dag.yaml": `
inputs:
  text:
    type: string
outputs:
  answer:
    type: string
    reference: \${convert.output}
nodes:
  - name: convert
    use_variants: true
node_variants:
  convert:
    default_variant_id: variant_0
    variants:
      variant_0:
        node:
          type: typescript
          source:
            type: code
            path: upper.ts
          inputs:
            text: \${inputs.text}
      variant_1:
        node:
          type: typescript
          source:
            type: code
            path: lower.ts
          inputs:
            text: \${inputs.text}
      slow:
        node:
          type: typescript
          source:
            type: code
            path: slow.ts
          inputs:
            text: \${inputs.text}
`,
  "upper.ts": "export default ({ text }: { text: string }) => text.toUpperCase();\n",
  "lower.ts": "export default ({ text }: { text: string }) => text.toLowerCase();\n",
  "slow.ts":
    "export default async ({ text }: { text: string }) => { await new Promise((r) => setTimeout(r, 150)); return text; };\n",
};

/** 3 of 4 expected answers are upper case, 1 lower case: variant_0 scores 0.75, variant_1 0.25. */
const ROWS = [
  { text: "a", expected: "A" },
  { text: "B", expected: "B" },
  { text: "c", expected: "C" },
  { text: "D", expected: "d" },
];

function experimentYaml(gateMin: number): string {
  return `name: casing
flow: case
variants:
  - \${convert.variant_0}
  - \${convert.variant_1}
datasets:
  - name: small
    source: data.jsonl
    column_mapping:
      text: \${data.text}
evaluators:
  - name: match
    flow: match
    column_mapping:
      answer: \${run.outputs.answer}
      expected: \${data.expected}
gates:
  - metric: accuracy
    evaluator: match
    variant: variant_0
    min: ${gateMin}
`;
}

describe("flowops experiment run", () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-cli-experiment-"));
    env = { FLOWOPS_HOME: path.join(root, "home"), CI: "1" };
    await writeFolder(path.join(root, "case"), CASE_FLOW);
    await writeFolder(path.join(root, "match"), MATCH_FLOW);
    await writeFile(path.join(root, "data.jsonl"), ROWS.map((r) => JSON.stringify(r)).join("\n"));
    await writeFile(path.join(root, "passing.yaml"), experimentYaml(0.7));
    await writeFile(path.join(root, "failing.yaml"), experimentYaml(0.9));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("runs the cross product, writes the reports and gates.json, prints the folder, exits 0 when gates pass", async () => {
    const output = path.join(root, "out-pass");
    const result = await runCli(["experiment", "run", path.join(root, "passing.yaml"), "--output", output], {
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${output}\n`);
    // The metrics table on stderr, one row per run × metric.
    expect(result.stderr).toMatch(/dataset\s+variant\s+evaluator\s+metric\s+value/);
    expect(result.stderr).toMatch(/small\s+variant_0\s+match\s+accuracy\s+0\.75\n/);
    expect(result.stderr).toMatch(/small\s+variant_1\s+match\s+accuracy\s+0\.25\n/);
    expect(result.stderr).toContain("all 1 quality gates passed");

    const metrics = await readFile(path.join(output, "metrics.csv"), "utf8");
    expect(metrics).toContain("casing,small,variant_0,match,accuracy,0.75,casing-small-variant_0-match");
    expect((await readFile(path.join(output, "lines.csv"), "utf8")).trim().split("\r\n")).toHaveLength(
      1 + 4 * 2,
    );
    expect((await readFile(path.join(output, "report.html"), "utf8")).length).toBeGreaterThan(1000);
    const gates = JSON.parse(await readFile(path.join(output, "gates.json"), "utf8"));
    expect(gates).toMatchObject({
      passed: true,
      gates: [{ metric: "accuracy", actual: 0.75, passed: true }],
    });

    // The runs are ordinary runs: `run show-metrics` sees them.
    const shown = await runCli(["run", "show-metrics", "--name", "casing-small-variant_1-match"], { env });
    expect(JSON.parse(shown.stdout)).toEqual({ accuracy: 0.25 });
  });

  it("exits 1 naming each failed gate with its actual value, and records it in gates.json", async () => {
    const output = path.join(root, "out-fail");
    const result = await runCli(["experiment", "run", path.join(root, "failing.yaml"), "--output", output], {
      env,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${output}\n`);
    expect(result.stderr).toContain("error: experiment 'casing': 1 quality gate failed:");
    expect(result.stderr).toContain(
      "  - accuracy >= 0.9 (evaluator match, dataset small, variant variant_0): actual 0.75",
    );
    const gates = JSON.parse(await readFile(path.join(output, "gates.json"), "utf8"));
    expect(gates.passed).toBe(false);
  });

  it("stops on Ctrl-C with exit 130, leaving the runs resumable", async () => {
    const slow = path.join(root, "slow.yaml");
    await writeFile(
      slow,
      experimentYaml(0.7)
        .replace("name: casing", "name: slowcase")
        .replace("  - ${convert.variant_1}\n", "  - ${convert.slow}\n"),
    );
    // Ctrl-C as soon as the slow variant's run starts.
    const controller = new AbortController();
    let stderr = "";
    const code = await main(
      ["experiment", "run", slow, "--output", path.join(root, "out-slow"), "--concurrency", "1"],
      {
        stdout: { write: () => true },
        stderr: {
          write: (text: string) => {
            stderr += text;
            if (text.includes("run slowcase-small-slow")) controller.abort();
            return true;
          },
        },
        env,
        signal: controller.signal,
      },
    );
    const result = { code, stderr };
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain("experiment canceled");
    const run = await runCli(["run", "show", "--name", "slowcase-small-slow"], { env });
    expect(JSON.parse(run.stdout).status).toBe("Canceled");
  });

  it("exits 2 for an invalid experiment file, naming the file, line and field", async () => {
    const bad = path.join(root, "bad.yaml");
    await writeFile(bad, experimentYaml(0.7).replace("flow: match", "flow: no-such-evaluator"));
    const result = await runCli(["experiment", "run", bad, "--output", path.join(root, "out-bad")], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/bad\.yaml:\d+/);
    expect(result.stderr).toContain("no-such-evaluator");
    expect(result.stderr).not.toMatch(/\n\s+at /);

    const missing = await runCli(["experiment", "run", path.join(root, "nope.yaml")], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.yaml");
  });
});
