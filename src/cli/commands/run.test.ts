// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv, runCli } from "../../../tests/support/run-cli.js";
import { MATCH_FLOW, writeFolder } from "../../../tests/support/test-flows.js";

/** A flow that upper-cases `text` after `delay_ms`, and throws on "boom" while a `broken` file sits beside it. */
const UPPER_FLOW = {
  "flow.dag.yaml": `
inputs:
  text:
    type: string
  delay_ms:
    type: int
    default: 0
outputs:
  answer:
    type: string
    reference: \${upper.output}
nodes:
  - name: upper
    type: typescript
    source:
      type: code
      path: upper.ts
    inputs:
      text: \${inputs.text}
      delay_ms: \${inputs.delay_ms}
`,
  "upper.ts": `
import { existsSync } from "node:fs";
import path from "node:path";
export default async function upper({ text, delay_ms }: { text: string; delay_ms: number }) {
  if (text === "boom" && existsSync(path.join(import.meta.dirname, "broken"))) throw new Error("the node broke on 'boom'");
  await new Promise((resolve) => setTimeout(resolve, delay_ms));
  return text.toUpperCase();
}
`,
};

const ROWS = [
  { text: "a", expected: "A" },
  { text: "boom", expected: "BOOM" },
  { text: "c", expected: "X" },
  { text: "d", expected: "D" },
];

describe("flowops run", () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let upper: string;
  let match: string;
  let data: string;
  const { cli, json } = cliInEnv(() => env);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-cli-run-"));
    env = { FLOWOPS_HOME: path.join(root, "home"), CI: "1" };
    upper = await writeFolder(path.join(root, "upper"), UPPER_FLOW);
    match = await writeFolder(path.join(root, "match"), MATCH_FLOW);
    data = path.join(root, "data.jsonl");
    await writeFile(data, `${ROWS.map((r) => JSON.stringify(r)).join("\n")}\n`);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("runs a flow over the data, prints only the run's name, and shows the run, its lines and list", async () => {
    const created = await cli("run", "create", "--flow", upper, "--data", data, "--name", "plain");
    expect(created).toMatchObject({ code: 0, stdout: "plain\n" });
    expect(created.stderr).toContain("run 'plain' Completed: 4/4 lines completed, 0 failed");
    // CI is set and --stream is not: no progress lines.
    expect(created.stderr).not.toMatch(/lines\/s/);

    const run = await json("run", "show", "--name", "plain");
    expect(run).toMatchObject({
      name: "plain",
      status: "Completed",
      flow: upper,
      data,
      lines: { total: 4, completed: 4, failed: 0 },
      metrics: {},
      error: null,
    });
    expect(run.duration).toMatch(/^0:00:\d\d\.\d{6}$/);

    const details = await json("run", "show-details", "--name", "plain", "--format", "json");
    expect(details.map((l: { outputs: unknown }) => l.outputs)).toEqual([
      { answer: "A" },
      { answer: "BOOM" },
      { answer: "C" },
      { answer: "D" },
    ]);
    expect(details[0]).toEqual({
      line_number: 0,
      status: "Completed",
      inputs: { text: "a", delay_ms: 0 },
      outputs: { answer: "A" },
      error: null,
    });

    const table = await cli("run", "show-details", "--name", "plain", "--max-results", "2");
    const rows = table.stdout.trim().split("\n");
    expect(rows).toHaveLength(2 + 2);
    expect(rows[0]).toMatch(
      /^line_number\s+status\s+inputs\.text\s+inputs\.delay_ms\s+outputs\.answer\s+error$/,
    );
    expect(rows[3]).toMatch(/^1\s+Completed\s+boom\s+0\s+BOOM$/);

    const listed = await json("run", "list", "--status", "Completed");
    expect(listed.map((r: { name: string }) => r.name)).toContain("plain");
    expect(await json("run", "list", "--status", "Failed")).toEqual([]);
  });

  it("counts failed lines (exit 1, the run kept), evaluates with --run, and resumes only the failed lines", async () => {
    await writeFile(path.join(upper, "broken"), "");
    try {
      const first = await cli(
        "run",
        "create",
        "--flow",
        upper,
        "--data",
        data,
        "--name",
        "first",
        "--stream",
      );
      expect(first).toMatchObject({ code: 1, stdout: "first\n" });
      expect(first.stderr).toContain("run 'first' Completed: 3/4 lines completed, 1 failed");
      expect(first.stderr).toContain("1 line failed: see 'flowops run show-details --name first --full'");
      expect(first.stderr).toContain("flowops run create --resume-from first");
      // --stream: one line per result, even under CI.
      expect(first.stderr).toMatch(/line 0 Completed: \{"answer":"A"\}/);
      expect(first.stderr).toMatch(/line 1 Failed: .*the node broke on 'boom'/);
    } finally {
      await rm(path.join(upper, "broken"));
    }
    const details = await json("run", "show-details", "--name", "first", "--format", "json");
    expect(details[1]).toMatchObject({ status: "Failed", outputs: null });
    expect(details[1].error.message).toContain("the node broke on 'boom'");

    const mapping = ["--column-mapping", "answer=${run.outputs.answer}", "expected=${data.expected}"];
    const evaluation = await cli(
      "run",
      "create",
      "--flow",
      match,
      "--data",
      data,
      "--run",
      "first",
      ...mapping,
      "--name",
      "first-eval",
    );
    // Line 1 has no completed base line, so its evaluation line fails too: exit 1.
    expect(evaluation.code, evaluation.stderr).toBe(1);
    expect(evaluation.stderr).toContain("run 'first-eval' Completed: 3/4 lines completed, 1 failed");
    const full = await cli("run", "show-details", "--name", "first", "--full");
    expect(full.code).toBe(0);
    expect(full.stdout).toMatch(/line_number: 1\nstatus: Failed\n[\s\S]*error: .*the node broke on 'boom'/);
    // Lines 0, 2, 3 score 1, 0, 1.
    expect(await json("run", "show-metrics", "--name", "first-eval")).toEqual({ accuracy: 2 / 3 });

    const resumed = await cli("run", "create", "--resume-from", "first", "--name", "second");
    expect(resumed).toMatchObject({ code: 0, stdout: "second\n" });
    const second = await json("run", "show", "--name", "second");
    expect(second).toMatchObject({
      status: "Completed",
      lines: { total: 4, completed: 4, failed: 0 },
      lineage: { resume_from: "first" },
    });
    const lines = await json("run", "show-details", "--name", "second", "--format", "json");
    expect(lines[1].outputs).toEqual({ answer: "BOOM" });

    await cli(
      "run",
      "create",
      "--flow",
      match,
      "--data",
      data,
      "--run",
      "second",
      ...mapping,
      "--name",
      "second-eval",
    );
    expect(await json("run", "show-metrics", "--name", "second-eval")).toEqual({ accuracy: 3 / 4 });
  });

  it("cancels on Ctrl-C (exit 130), leaving a Canceled run that resumes", async () => {
    const slow = path.join(root, "slow.jsonl");
    await writeFile(
      slow,
      Array.from({ length: 8 }, (_, i) => JSON.stringify({ text: `t${i}`, delay_ms: 150 })).join("\n"),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const canceled = await runCli(
      ["run", "create", "--flow", upper, "--data", slow, "--name", "slow", "--concurrency", "1"],
      { env, signal: controller.signal },
    );
    expect(canceled.code).toBe(130);
    expect(canceled.stdout).toBe("slow\n");
    expect(canceled.stderr).toContain("flowops run create --resume-from slow");
    const run = await json("run", "show", "--name", "slow");
    expect(run.status).toBe("Canceled");
    expect(run.lines.completed).toBeGreaterThan(0);
    expect(run.lines.completed).toBeLessThan(8);

    const resumed = await cli(
      "run",
      "create",
      "--resume-from",
      "slow",
      "--name",
      "slow-2",
      "--concurrency",
      "8",
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await json("run", "show", "--name", "slow-2")).lines).toEqual({
      total: 8,
      completed: 8,
      failed: 0,
    });
  });

  it("runs python nodes through flowops' python workers", async () => {
    const lines = path.join(root, "python.jsonl");
    await writeFile(lines, '{"text": "one"}\n{"text": "two"}\n');
    const python = path.resolve("tests/fixtures/serve/python");
    // Without CI and without a terminal: plain progress lines on stderr (the last one when the run ends).
    const argv = ["run", "create", "--flow", python, "--data", lines, "--name", "py", "--concurrency", "2"];
    const result = await runCli(argv, { env: { FLOWOPS_HOME: env["FLOWOPS_HOME"] } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("py\n");
    expect(result.stderr).toMatch(/^py: 2\/2 lines \(0 failed\), [\d.]+ lines\/s, ETA 0s$/m);
    const details = await json("run", "show-details", "--name", "py", "--format", "json");
    expect(details.map((l: { outputs: unknown }) => l.outputs)).toEqual([{ out: "one" }, { out: "two" }]);
  });

  it("cancels on a real SIGINT too, and removes its handler afterwards", async () => {
    const slow = path.join(root, "slow-sigint.jsonl");
    await writeFile(
      slow,
      Array.from({ length: 6 }, (_, i) => JSON.stringify({ text: `s${i}`, delay_ms: 150 })).join("\n"),
    );
    const before = new Set(process.listeners("SIGINT"));
    const pending = cli(
      "run",
      "create",
      "--flow",
      upper,
      "--data",
      slow,
      "--name",
      "sigint",
      "--concurrency",
      "1",
    );
    // The handler the command installed: called as the process would call it on Ctrl-C.
    let handler: (() => void) | undefined;
    while (!handler) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      handler = process.listeners("SIGINT").find((l) => !before.has(l)) as (() => void) | undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    handler();
    const result = await pending;
    expect(result.code).toBe(130);
    expect((await json("run", "show", "--name", "sigint")).status).toBe("Canceled");
    expect(process.listeners("SIGINT").filter((l) => !before.has(l))).toEqual([]);
  });

  it("takes promptflow's run YAML (--file), with options on the command line winning", async () => {
    const file = path.join(root, "run.yaml");
    await writeFile(
      file,
      `$schema: https://azuremlschemas.azureedge.net/promptflow/latest/Run.schema.json
flow: upper
data: data.jsonl
column_mapping:
  text: \${data.expected}
name: from-file
tags:
  team: nlp
`,
    );
    const result = await cli("run", "create", "--file", file, "--name", "from-file-2", "--format", "json");
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ name: "from-file-2", flow: upper, data, tags: { team: "nlp" } });
    expect(run.column_mapping).toEqual({ text: "${data.expected}" });
    const lines = await json("run", "show-details", "--name", "from-file-2", "--format", "json");
    expect(lines[2].outputs).toEqual({ answer: "X" });
  });

  it("rejects bad arguments with exit 2, naming the field and the fix, without a stack", async () => {
    const cases: [string[], RegExp][] = [
      [["run", "create", "--flow", upper], /run create needs --data FILE/],
      [
        ["run", "create", "--flow", upper, "--data", path.join(root, "nope.jsonl")],
        /--data '.*nope\.jsonl' is neither an existing file/,
      ],
      [
        ["run", "create", "--flow", upper, "--data", data, "--column-mapping", "txt=${data.text}"],
        /'txt', which is not an input of the flow \(inputs: text, delay_ms\)/,
      ],
      [
        ["run", "create", "--flow", upper, "--data", data, "--column-mapping", "text=${run.outputs.answer}"],
        /no --run was given/,
      ],
      [
        ["run", "create", "--flow", upper, "--data", data, "--column-mapping", "text"],
        /--column-mapping 'text': write each value as key=value/,
      ],
      [
        ["run", "create", "--flow", upper, "--data", data, "--run", "ghost"],
        /--run 'ghost': no run of that name/,
      ],
      [
        ["run", "create", "--flow", upper, "--data", data, "--name", "plain"],
        /A run named 'plain' already exists/,
      ],
      [["run", "create", "--resume-from", "plain", "--flow", upper], /drop --flow/],
      [["run", "create", "--resume-from", "ghost"], /No run named 'ghost'/],
      [
        ["run", "create", "--flow", upper, "--data", data, "--concurrency", "0"],
        /--concurrency '0': give a whole number/,
      ],
      [
        ["run", "create", "--flow", upper, "--data", data, "--set", "speed=3"],
        /--set speed: use connections\.NAME\.rpm=N/,
      ],
      [["run", "create", "--flow", path.join(root, "missing-flow"), "--data", data], /missing-flow/],
      [["run", "show", "--name", "ghost"], /No run named 'ghost'. List the runs with 'flowops run list'/],
      [["run", "show-metrics", "--name", "ghost"], /No run named 'ghost'/],
      [["run", "visualize"], /pass --name RUN/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr, argv.join(" ")).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe("");
    }
    expect((await json("run", "list")).map((r: { name: string }) => r.name)).not.toContain("ghost");
  });

  it("exits 1 when the run fails as a whole (bad data rows), naming the run and the file", async () => {
    const bad = path.join(root, "bad.jsonl");
    await writeFile(bad, '{"text": "a"}\nnot json\n');
    const result = await cli("run", "create", "--flow", upper, "--data", bad, "--name", "bad-data");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("bad-data\n");
    expect(result.stderr).toMatch(/error: run 'bad-data' failed: .*bad\.jsonl/);
    expect((await json("run", "show", "--name", "bad-data")).status).toBe("Failed");
  });

  it("cancels, deletes (with --yes) and visualizes runs", async () => {
    const cancel = await cli("run", "cancel", "--name", "plain");
    expect(cancel.code).toBe(0);
    expect(cancel.stderr).toContain("run 'plain' is already Completed: nothing to cancel");

    const refused = await cli("run", "delete", "--name", "first-eval");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("deleting a run needs confirmation: add --yes");

    const report = path.join(root, "out", "runs.html");
    const visualized = await cli("run", "visualize", "--name", "first,second", "--output", report);
    expect(visualized).toMatchObject({ code: 0, stdout: `${report}\n` });
    const html = await readFile(report, "utf8");
    // Both runs side by side with their evaluation's metric; no network needed to open it.
    expect(html.includes("<h1>Runs first, second</h1>")).toBe(true);
    expect(/<(script|link|img)[^>]+(src|href)=["']?https?:/i.test(html)).toBe(false);
    const metrics = await readFile(path.join(root, "out", "metrics.csv"), "utf8");
    expect(metrics).toMatch(/first-eval/);
    expect(metrics).toMatch(/,second,.*accuracy,0\.75,second-eval/);

    expect((await cli("run", "delete", "--name", "first-eval", "--yes")).code).toBe(0);
    expect((await cli("run", "show", "--name", "first-eval")).code).toBe(2);
  });
});
