// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
/**
 * The named-entity-recognition example end to end, offline: the flow over its data, the evaluation
 * flow over that run, the experiment (two prompt variants × two data sets, a gate) and its reports,
 * all from the committed recordings (FLOWOPS_LLM_MODE=replay). Expected metrics are computed
 * independently of the evaluators' code (tests/support/ner-expectations.ts), from the data files and the
 * hand-written answers.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerAnswers } from "../../flows/scripts/answers.js";
import { createConnectionStore } from "../../src/connections/create-connection-store.js";
import { loadFlowDefinition } from "../../src/core/check-flow.js";
import { createFlowExecutor } from "../../src/core/create-flow-executor.js";
import type { FlowExecutor } from "../../src/core/execution-types.js";
import { createModelPort } from "../../src/providers/create-model-port.js";
import { runExperiment } from "../../src/runs/experiments/index.js";
import { reportInputForRuns, writeReport } from "../../src/runs/reports/index.js";
import { runBatch } from "../../src/runs/run-batch.js";
import { SqliteRunStore } from "../../src/stores/local/sqlite-run-store.js";
import {
  entitySet,
  expectedRates,
  experimentFile,
  flows,
  nerFlow,
  rows,
  testData,
  trainData,
} from "../support/ner-expectations.js";

describe("named-entity-recognition lifecycle (offline, from recordings)", () => {
  let dir: string;
  let store: SqliteRunStore;
  const executors = new Map<string, Promise<FlowExecutor>>();
  const executorFor = (flow: string): Promise<FlowExecutor> => {
    let executor = executors.get(flow);
    if (!executor) {
      const models = createModelPort({
        connections: createConnectionStore({ FLOWOPS_HOME: dir }),
        mode: "replay",
        recordingsDir: path.join(flow, ".recordings"),
      });
      executor = loadFlowDefinition(flow).then((definition) => createFlowExecutor(definition, { models }));
      executors.set(flow, executor);
    }
    return executor;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "flowops-ner-"));
    store = new SqliteRunStore({ file: path.join(dir, "runs.db") });
  });
  afterAll(() => store.close());

  it("the expected rates computed here match the values the answers table was written for", async () => {
    // A guard against a silently edited answers table or data set: these are the numbers in flows/README.md.
    expect(await expectedRates(trainData, "variant_0")).toEqual({
      exact_match_rate: 0.45,
      partial_match_rate: 0.8,
    });
    expect(await expectedRates(trainData, "variant_1")).toEqual({
      exact_match_rate: 0.85,
      partial_match_rate: 1,
    });
    expect(await expectedRates(testData, "variant_0")).toEqual({
      exact_match_rate: 0.5,
      partial_match_rate: 0.9,
    });
    expect(await expectedRates(testData, "variant_1")).toEqual({
      exact_match_rate: 0.8,
      partial_match_rate: 1,
    });
  });

  it("runs the flow over its data, then the evaluation flow over that run", async () => {
    const run = await runBatch({
      store,
      executor: executorFor,
      name: "ner-train",
      flow: nerFlow,
      data: trainData,
      columnMapping: { text: "${data.text}", entity_type: "${data.entity_type}" },
    });
    expect(run).toMatchObject({ status: "Completed", lines: { total: 20, completed: 20, failed: 0 } });
    expect(run.usage.total_tokens).toBeGreaterThan(0);
    const lines = await store.getLines("ner-train");
    const data = await rows(trainData);
    // The default variant (variant_0); the cleansing node splits, trims and drops "None".
    expect(lines[0]!.outputs).toEqual({ entities: ["Project Manager", "Data Analyst"] });
    expect(lines[3]!.outputs).toEqual({ entities: ["baker"] });
    for (const [i, line] of lines.entries()) {
      const expected = [...entitySet(nerAnswers[data[i]!.text]!.variant_0)];
      expect((line.outputs!["entities"] as string[]).map((e) => e.toLowerCase())).toEqual(expected);
    }

    const evaluation = await runBatch({
      store,
      executor: executorFor,
      name: "ner-train-eval",
      flow: path.join(flows, "evaluators/partial-match"),
      data: trainData,
      run: "ner-train",
      columnMapping: { groundtruth: "${data.results}", prediction: "${run.outputs.entities}" },
    });
    expect(evaluation.status).toBe("Completed");
    expect(evaluation.metrics).toEqual(await expectedRates(trainData, "variant_0"));
    const evaluated = await store.getLines("ner-train-eval");
    expect(evaluated[1]!.outputs).toEqual({ exact_match: 0, partial_match: 1 }); // "pharmacist" for "hospital pharmacist"
  });

  it("runs the experiment: 2 variants × 2 data sets, evaluators, a passing gate, and the reports", async () => {
    const output = path.join(dir, "report");
    const result = await runExperiment(experimentFile, { store, executorFor, output });
    expect(result.runs.every((r) => r.status === "Completed" && r.lines.failed === 0)).toBe(true);
    expect(result.runs).toHaveLength(4 + 4 + 2);

    for (const [dataset, file] of [
      ["train", trainData],
      ["test", testData],
    ] as const) {
      for (const variant of ["variant_0", "variant_1"] as const) {
        const expected = await expectedRates(file, variant);
        const logged = Object.fromEntries(
          result.metrics
            .filter((m) => m.evaluator === "entity_match" && m.dataset === dataset && m.variant === variant)
            .map((m) => [m.metric, m.value]),
        );
        expect(logged, `${dataset}/${variant}`).toEqual(expected);
      }
    }
    const exactOnTest = result.metrics
      .filter((m) => m.evaluator === "exact_match")
      .map((m) => [m.variant, m.value]);
    expect(exactOnTest).toEqual([
      ["variant_0", (await expectedRates(testData, "variant_0")).exact_match_rate],
      ["variant_1", (await expectedRates(testData, "variant_1")).exact_match_rate],
    ]);

    expect(result.passed).toBe(true);
    expect(result.gates).toHaveLength(5);
    expect(result.gates[0]).toMatchObject({
      metric: "exact_match_rate",
      dataset: "test",
      variant: "variant_1",
      actual: 0.8,
      passed: true,
    });

    const metricsCsv = await readFile(result.files!.metricsCsv, "utf8");
    expect(metricsCsv).toContain(
      "ner,train,variant_0,entity_match,exact_match_rate,0.45,ner-train-variant_0-entity_match",
    );
    const linesCsv = (await readFile(result.files!.linesCsv, "utf8")).trim().split("\r\n");
    expect(linesCsv).toHaveLength(1 + (20 + 10) * 2);
    const html = await readFile(result.files!.reportHtml, "utf8");
    expect(html).toContain("Chart.js v4.6.1");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(html).toContain("entity_match · exact_match_rate");
    // Train line 0: variant_0 answered in title case, variant_1 in lower case: same scores, different outputs.
    expect(html.match(/<tr class="line disagree">/g)?.length).toBeGreaterThan(10);
  });

  it("fails a gate the variants do not meet, naming it with its actual value", async () => {
    const strict = path.join(dir, "strict-experiment.yaml");
    const yaml = (await readFile(experimentFile, "utf8"))
      .replaceAll("../", `${flows}/`)
      .replace("variant: variant_1\n    min: 0.7", "variant: variant_0\n    min: 0.7");
    await writeFile(strict, yaml);
    const result = await runExperiment(strict, { store, executorFor });
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual([
      "exact_match_rate >= 0.7 (evaluator entity_match, dataset test, variant variant_0): actual 0.5",
    ]);
  });

  it("writes the same report for chosen runs (flowops run visualize)", async () => {
    const input = await reportInputForRuns(store, ["ner-train-variant_0", "ner-train-variant_1"]);
    expect(input.evaluations.map((e) => e.name).sort()).toEqual([
      "ner-train-variant_0-entity_match",
      "ner-train-variant_1-entity_match",
    ]);
    const files = await writeReport(input, { store, output: path.join(dir, "visualize") });
    const metrics = await readFile(files.metricsCsv, "utf8");
    expect(metrics).toContain(",ner-train,ner-train-variant_1,entity_match,exact_match_rate,0.85,");
  });
});
