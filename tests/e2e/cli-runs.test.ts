// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
/**
 * The named-entity-recognition example through the `flowops` command, offline (FLOWOPS_LLM_MODE=replay
 * reads the committed recordings): run create → show / show-details / show-metrics → an evaluation run
 * over it → resume after failed lines → visualize, and the experiment with a gate that passes and one
 * that fails. Expected metrics come from tests/support/ner-expectations.ts (the data files and the
 * hand-written answers).
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerAnswers } from "../../flows/scripts/answers.js";
import { openDeploymentStores } from "../../src/deploy/open-deployment-stores.js";
import { openRegistry } from "../../src/registry/open-registry.js";
import {
  entitySet,
  expectedRates,
  experimentFile,
  flows,
  nerFlow,
  partialMatch,
  rows,
  testData,
  trainData,
} from "../support/ner-expectations.js";
import { cliInEnv } from "../support/run-cli.js";

const nerMapping = ["--column-mapping", "text=${data.text}", "entity_type=${data.entity_type}"];
const evalMapping = ["--column-mapping", "groundtruth=${data.results}", "prediction=${run.outputs.entities}"];

describe("flowops run / experiment on the NER example (offline)", () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const { cli, json } = cliInEnv(() => env);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-e2e-cli-runs-"));
    env = { FLOWOPS_HOME: path.join(root, "home"), FLOWOPS_LLM_MODE: "replay", CI: "1" };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("runs the flow over its data, shows it, evaluates it with --run and checks the metrics", async () => {
    const created = await cli(
      "run",
      "create",
      "--flow",
      nerFlow,
      "--data",
      trainData,
      ...nerMapping,
      "--name",
      "ner-train",
    );
    expect(created).toMatchObject({ code: 0, stdout: "ner-train\n" });

    const run = await json("run", "show", "--name", "ner-train");
    expect(run).toMatchObject({
      status: "Completed",
      flow: nerFlow,
      data: trainData,
      lines: { total: 20, completed: 20, failed: 0 },
    });
    expect(run.usage.total_tokens).toBeGreaterThan(0);
    expect(run.column_mapping).toEqual({ text: "${data.text}", entity_type: "${data.entity_type}" });

    const details = await json(
      "run",
      "show-details",
      "--name",
      "ner-train",
      "--format",
      "json",
      "--all-results",
    );
    const data = await rows(trainData);
    expect(details).toHaveLength(20);
    for (const [i, line] of details.entries()) {
      expect(line.inputs).toEqual({ entity_type: data[i]!.entity_type, text: data[i]!.text });
      const expected = [...entitySet(nerAnswers[data[i]!.text]!.variant_0)];
      expect(line.outputs.entities.map((e: string) => e.toLowerCase())).toEqual(expected);
    }
    expect(await json("run", "show-metrics", "--name", "ner-train")).toEqual({});

    const evaluation = await cli(
      "run",
      "create",
      "--flow",
      partialMatch,
      "--data",
      trainData,
      "--run",
      "ner-train",
      ...evalMapping,
      "--name",
      "ner-train-eval",
    );
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(await json("run", "show-metrics", "--name", "ner-train-eval")).toEqual(
      await expectedRates(trainData, "variant_0"),
    );
    const evaluated = await json("run", "show", "--name", "ner-train-eval");
    expect(evaluated).toMatchObject({ run: "ner-train", lines: { completed: 20, failed: 0 } });
  });

  it("runs a variant, counts failed lines, and resumes them into a run whose evaluation is complete", async () => {
    // A copy of the flow missing the recordings of test lines 2 and 5: those lines fail in replay.
    const flow = path.join(root, "ner-copy");
    await cp(nerFlow, flow, { recursive: true });
    const recordings = path.join(flow, ".recordings");
    const aside = path.join(root, "aside");
    await mkdir(aside);
    const data = await rows(testData);
    const missing = [data[2]!.text, data[5]!.text];
    for (const file of await readdir(recordings)) {
      const text = await readFile(path.join(recordings, file), "utf8");
      if (missing.some((m) => text.includes(JSON.stringify(m).slice(1, -1))))
        await rename(path.join(recordings, file), path.join(aside, file));
    }
    expect((await readdir(aside)).length).toBeGreaterThanOrEqual(2);

    const variant = ["--variant", "${NER_LLM.variant_1}"];
    const first = await cli(
      "run",
      "create",
      "--flow",
      flow,
      "--data",
      testData,
      ...nerMapping,
      ...variant,
      "--name",
      "ner-test-v1",
    );
    // Failed lines: the run is kept (and printed), but the exit code says something failed.
    expect(first).toMatchObject({ code: 1, stdout: "ner-test-v1\n" });
    expect(first.stderr).toContain("run 'ner-test-v1' Completed: 8/10 lines completed, 2 failed");
    expect(first.stderr).toContain("flowops run create --resume-from ner-test-v1");
    const details = await json("run", "show-details", "--name", "ner-test-v1", "--format", "json");
    expect(
      details
        .filter((l: { status: string }) => l.status === "Failed")
        .map((l: { line_number: number }) => l.line_number),
    ).toEqual([2, 5]);

    for (const file of await readdir(aside))
      await rename(path.join(aside, file), path.join(recordings, file));
    const resumed = await cli(
      "run",
      "create",
      "--resume-from",
      "ner-test-v1",
      "--name",
      "ner-test-v1-resumed",
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await json("run", "show", "--name", "ner-test-v1-resumed")).toMatchObject({
      status: "Completed",
      variant: "${NER_LLM.variant_1}",
      lines: { total: 10, completed: 10, failed: 0 },
      lineage: { resume_from: "ner-test-v1" },
    });

    await cli(
      "run",
      "create",
      "--flow",
      partialMatch,
      "--data",
      testData,
      "--run",
      "ner-test-v1-resumed",
      ...evalMapping,
      "--name",
      "ner-test-v1-eval",
    );
    expect(await json("run", "show-metrics", "--name", "ner-test-v1-eval")).toEqual(
      await expectedRates(testData, "variant_1"),
    );
  });

  it("keeps a connection within --set connections.NAME.rpm (lines waiting past --line-timeout fail)", async () => {
    const limited = await cli(
      "run",
      "create",
      "--flow",
      nerFlow,
      "--data",
      testData,
      ...nerMapping,
      "--name",
      "ner-limited",
      "--set",
      "connections.aoai.rpm=3",
      "--line-timeout",
      "1",
      "--concurrency",
      "10",
    );
    expect(limited.code, limited.stderr).toBe(1);
    expect(limited.stderr).toContain("run 'ner-limited' Completed: 3/10 lines completed, 7 failed");
    const details = await json("run", "show-details", "--name", "ner-limited", "--format", "json");
    const failed = details.filter((l: { status: string }) => l.status === "Failed");
    expect(failed[0].error.message).toMatch(/time/i);
  });

  it("runs over a registered data set (--data NAME:VERSION), recording its version", async () => {
    const opened = await openRegistry(env);
    try {
      const registered = await opened.registry.registerData(testData, { name: "ner-test" });
      expect(registered.version).toBe(1);
    } finally {
      await opened.close();
    }
    const result = await cli(
      "run",
      "create",
      "--flow",
      nerFlow,
      "--data",
      "ner-test:1",
      ...nerMapping,
      "--name",
      "ner-registered",
    );
    expect(result.code, result.stderr).toBe(0);
    const run = await json("run", "show", "--name", "ner-registered");
    expect(run).toMatchObject({
      lines: { total: 10, completed: 10 },
      lineage: { data_version: "ner-test:1" },
    });

    const unknown = await cli(
      "run",
      "create",
      "--flow",
      nerFlow,
      "--data",
      "ner-nothing:1",
      "--name",
      "ner-unknown",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("ner-nothing");
  });

  it("runs over an endpoint's logged production traffic (--data prod:ENDPOINT:since)", async () => {
    const stores = await openDeploymentStores(env);
    const data = await rows(testData);
    try {
      for (const [i, row] of data.slice(0, 3).entries()) {
        await stores.requests.append({
          endpoint: "ner",
          id: `request-${i}`,
          timestamp: new Date(Date.now() - (3 - i) * 60_000).toISOString(),
          flow: "ner",
          version: 1,
          status: "Completed",
          inputs: { text: row.text, entity_type: row.entity_type },
          outputs: { entities: [] },
          latency_ms: 5,
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        });
      }
    } finally {
      await stores.close();
    }
    const mapping = [
      "--column-mapping",
      "text=${data.inputs.text}",
      "entity_type=${data.inputs.entity_type}",
    ];
    const result = await cli(
      "run",
      "create",
      "--flow",
      nerFlow,
      "--data",
      "prod:ner:1d",
      ...mapping,
      "--name",
      "ner-prod",
    );
    expect(result.code, result.stderr).toBe(0);
    const run = await json("run", "show", "--name", "ner-prod");
    expect(run.lines).toEqual({ total: 3, completed: 3, failed: 0 });
    expect(run.lineage.data_version).toMatch(/^prod:ner@/);
    const details = await json("run", "show-details", "--name", "ner-prod", "--format", "json");
    expect(details.map((l: { inputs: { text: string } }) => l.inputs.text)).toEqual(
      data.slice(0, 3).map((r) => r.text),
    );

    const none = await cli(
      "run",
      "create",
      "--flow",
      nerFlow,
      "--data",
      "prod:nobody:1d",
      "--name",
      "ner-prod-none",
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("No logged requests for endpoint 'nobody'");
  });

  it("visualizes runs side by side in a self-contained report", async () => {
    const output = path.join(root, "visualize");
    const result = await cli(
      "run",
      "visualize",
      "--name",
      "ner-train,ner-test-v1-resumed",
      "--output",
      output,
    );
    expect(result).toMatchObject({ code: 0, stdout: `${path.join(output, "report.html")}\n` });
    const html = await readFile(path.join(output, "report.html"), "utf8");
    expect(html.includes("Chart.js v4.6.1")).toBe(true);
    expect(/<(script|link|img)[^>]+(src|href)=["']?https?:/i.test(html)).toBe(false);
    const metrics = await readFile(path.join(output, "metrics.csv"), "utf8");
    expect(metrics).toContain(
      `,exact_match_rate,${(await expectedRates(trainData, "variant_0")).exact_match_rate},ner-train-eval`,
    );
  });

  it("runs the experiment: the gate passes (exit 0), and a stricter one fails (exit 1) naming it", async () => {
    const output = path.join(root, "experiment");
    const passing = await cli("experiment", "run", experimentFile, "--output", output);
    expect(passing.code, passing.stderr).toBe(0);
    expect(passing.stdout).toBe(`${output}\n`);
    const testV1 = await expectedRates(testData, "variant_1");
    expect(passing.stderr).toMatch(
      new RegExp(`test\\s+variant_1\\s+entity_match\\s+exact_match_rate\\s+${testV1.exact_match_rate}\\n`),
    );
    expect(passing.stderr).toContain("all 5 quality gates passed");
    expect(JSON.parse(await readFile(path.join(output, "gates.json"), "utf8")).passed).toBe(true);
    const metrics = await readFile(path.join(output, "metrics.csv"), "utf8");
    expect(metrics).toContain(
      `ner,train,variant_1,entity_match,exact_match_rate,${(await expectedRates(trainData, "variant_1")).exact_match_rate},`,
    );

    const strict = path.join(root, "strict-experiment.yaml");
    const yaml = (await readFile(experimentFile, "utf8"))
      .replaceAll("../", `${flows}/`)
      .replace("variant: variant_1\n    min: 0.7", "variant: variant_0\n    min: 0.7");
    await writeFile(strict, yaml);
    const failing = await cli("experiment", "run", strict, "--output", path.join(root, "strict"));
    expect(failing.code).toBe(1);
    const actual = (await expectedRates(testData, "variant_0")).exact_match_rate;
    expect(failing.stderr).toContain("1 quality gate failed:");
    expect(failing.stderr).toContain(
      `exact_match_rate >= 0.7 (evaluator entity_match, dataset test, variant variant_0): actual ${actual}`,
    );
  });
});
