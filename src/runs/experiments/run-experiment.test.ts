// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteRunStore } from "../../stores/local/sqlite-run-store.js";
import type { RunRecord } from "../../stores/run-store.js";
import type { ExperimentRunRequest } from "./batch-runner.js";
import { runExperiment } from "./run-experiment.js";

const flows = path.resolve(import.meta.dirname, "../../../flows");
const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/**
 * A small deterministic batch runner over the real SQLite store, standing in for the batch engine so
 * this test covers only the experiment's own job (names, order, tags, metrics, gates, reports):
 * variant_0 finds the first entity of each line, variant_1 all of them; evaluators score exact match.
 */
function fakeBatch(store: SqliteRunStore, calls: ExperimentRunRequest[]) {
  return async (request: ExperimentRunRequest): Promise<RunRecord> => {
    calls.push(request);
    const rows = (await readFile(request.data, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>);
    const now = new Date().toISOString();
    await store.createRun({
      name: request.name,
      status: "Running",
      flow: request.flow,
      data: request.data,
      created_on: now,
      usage,
      lines: { total: rows.length, completed: 0, failed: 0 },
      tags: request.tags,
      ...(request.run ? { run: request.run } : {}),
      ...(request.variant ? { variant: request.variant } : {}),
    });
    const scores: number[] = [];
    for (const [i, row] of rows.entries()) {
      const truth = row["results"]!.split(", ");
      let outputs: Record<string, unknown>;
      if (request.run) {
        const base = (await store.getLines(request.run, { offset: i, limit: 1 }))[0]!;
        const score = JSON.stringify(base.outputs!["entities"]) === JSON.stringify(truth) ? 1 : 0;
        scores.push(score);
        outputs = { exact_match: score, partial_match: 1 };
      } else {
        outputs = { entities: request.variant?.includes("variant_1") ? truth : truth.slice(0, 1) };
      }
      await store.putLine({
        run: request.name,
        line_number: i,
        status: "Completed",
        inputs: row,
        outputs,
        start_time: now,
        end_time: now,
      });
    }
    const metrics = request.run
      ? { exact_match_rate: scores.reduce((a, b) => a + b, 0) / scores.length, partial_match_rate: 1 }
      : undefined;
    return store.updateRun(request.name, {
      status: "Completed",
      lines: { total: rows.length, completed: rows.length, failed: 0 },
      ...(metrics ? { metrics } : {}),
    });
  };
}

describe("runExperiment", () => {
  let dir: string;
  let store: SqliteRunStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "flowops-experiment-"));
    store = new SqliteRunStore({ file: path.join(dir, "runs.db") });
  });
  afterEach(() => store.close());

  it("runs variants × data sets, then each evaluator over its runs, checks gates and writes reports", async () => {
    const calls: ExperimentRunRequest[] = [];
    const output = path.join(dir, "out");
    const result = await runExperiment(path.join(flows, "experiments/ner-experiment.yaml"), {
      store,
      runBatch: fakeBatch(store, calls),
      output,
      concurrency: 3,
    });

    expect(calls.map((c) => c.name)).toEqual([
      "ner-train-variant_0",
      "ner-train-variant_1",
      "ner-test-variant_0",
      "ner-test-variant_1",
      "ner-train-variant_0-entity_match",
      "ner-train-variant_1-entity_match",
      "ner-test-variant_0-entity_match",
      "ner-test-variant_1-entity_match",
      "ner-test-variant_0-exact_match",
      "ner-test-variant_1-exact_match",
    ]);
    expect(calls[1]).toMatchObject({
      flow: path.join(flows, "named-entity-recognition"),
      variant: "${NER_LLM.variant_1}",
      concurrency: 3,
      columnMapping: { text: "${data.text}", entity_type: "${data.entity_type}" },
      tags: { experiment: "ner", dataset: "train", variant: "variant_1" },
    });
    expect(calls[4]).toMatchObject({
      flow: path.join(flows, "evaluators/partial-match"),
      run: "ner-train-variant_0",
      data: path.join(flows, "named-entity-recognition/data/ner-train.jsonl"),
      columnMapping: { groundtruth: "${data.results}", prediction: "${run.outputs.entities}" },
    });

    // variant_0 is exact only on lines with one entity (or None); variant_1 on all of them.
    const single = (file: string) =>
      readFile(file, "utf8").then(
        (t) =>
          t
            .trim()
            .split("\n")
            .filter((l) => !JSON.parse(l).results.includes(", ")).length,
      );
    const testSingle = (await single(path.join(flows, "named-entity-recognition/data/ner-test.jsonl"))) / 10;
    const metric = (run: string, name: string) =>
      result.metrics.find((m) => m.run === run && m.metric === name)?.value;
    expect(metric("ner-test-variant_0-entity_match", "exact_match_rate")).toBeCloseTo(testSingle, 10);
    expect(metric("ner-test-variant_1-entity_match", "exact_match_rate")).toBe(1);

    expect(result.gates.map((g) => [g.dataset, g.variant, g.passed])).toEqual([
      ["test", "variant_1", true],
      ["train", "variant_0", true],
      ["train", "variant_1", true],
      ["test", "variant_0", true],
      ["test", "variant_1", true],
    ]);
    expect(result.passed).toBe(true);

    const metricsCsv = await readFile(result.files!.metricsCsv, "utf8");
    expect(metricsCsv.split("\r\n")[0]).toBe("experiment,dataset,variant,evaluator,metric,value,run");
    expect(metricsCsv).toContain(
      `ner,test,variant_1,entity_match,exact_match_rate,1,ner-test-variant_1-entity_match`,
    );
    expect(metricsCsv.trim().split("\r\n")).toHaveLength(1 + 6 * 2);
    const linesCsv = (await readFile(result.files!.linesCsv, "utf8")).trim().split("\r\n");
    expect(linesCsv[0]).toBe(
      "experiment,dataset,variant,run,line_number,status,inputs,outputs,error,entity_match.exact_match,entity_match.partial_match,exact_match.exact_match,exact_match.partial_match,variants_disagree",
    );
    expect(linesCsv).toHaveLength(1 + (20 + 10) * 2);
    const html = await readFile(result.files!.reportHtml, "utf8");
    expect(html).toContain("Chart.js v4.6.1");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(html).toContain("All 5 gate checks passed");
  });

  it("names each failed gate with its actual value, and replaces its own runs on a rerun", async () => {
    const file = path.join(dir, "experiment.yaml");
    const yaml = (await readFile(path.join(flows, "experiments/ner-experiment.yaml"), "utf8"))
      .replaceAll("../", `${flows}/`)
      .replace("min: 0.8", "min: 0.9\n    max: 1");
    await writeFile(
      file,
      yaml.replace("variant: variant_1\n    min: 0.7", "variant: variant_0\n    min: 0.7"),
    );
    const calls: ExperimentRunRequest[] = [];
    const first = await runExperiment(file, { store, runBatch: fakeBatch(store, calls) });
    expect(first.passed).toBe(false);
    expect(first.failures[0]).toMatch(
      /^exact_match_rate >= 0.7 \(evaluator entity_match, dataset test, variant variant_0\): actual 0\.\d+$/,
    );
    expect(first.failures).toHaveLength(1);

    const again = await runExperiment(file, { store, runBatch: fakeBatch(store, []) });
    expect(again.runs).toHaveLength(10);
    expect((await store.listRuns()).length).toBe(10);
  });

  it("refuses to overwrite a run it did not create", async () => {
    const now = new Date().toISOString();
    await store.createRun({
      name: "ner-train-variant_0",
      status: "Completed",
      flow: "x",
      created_on: now,
      usage,
      lines: { total: 0, completed: 0, failed: 0 },
    });
    await expect(
      runExperiment(path.join(flows, "experiments/ner-experiment.yaml"), {
        store,
        runBatch: fakeBatch(store, []),
      }),
    ).rejects.toThrow(/run name 'ner-train-variant_0', but a run of that name exists that it did not create/);
  });
  it("reads the LLMOps template's form: `mappings`, and evaluator data sets with reference/source", async () => {
    const file = path.join(dir, "template.yaml");
    await writeFile(
      file,
      [
        "name: tpl",
        `flow: ${flows}/named-entity-recognition`,
        "datasets:",
        "  - name: ner_exp",
        `    source: ${flows}/named-entity-recognition/data/ner-train.jsonl`,
        "    mappings:",
        "      text: ${data.text}",
        "      entity_type: ${data.entity_type}",
        "evaluators:",
        "  - name: ner_evaluation_flow",
        `    flow: ${flows}/evaluators/partial-match`,
        "    datasets:",
        "      - name: ner_exp_test",
        "        reference: ner_exp",
        `        source: ${flows}/named-entity-recognition/data/ner-test.jsonl`,
        "        description: evaluation data with ground truth",
        "        mappings:",
        "          groundtruth: ${data.results}",
        "          prediction: ${run.outputs.entities}",
      ].join("\n"),
    );
    const calls: ExperimentRunRequest[] = [];
    const result = await runExperiment(file, { store, runBatch: fakeBatch(store, calls) });
    expect(calls.map((c) => [c.name, c.columnMapping])).toEqual([
      ["tpl-ner_exp-default", { text: "${data.text}", entity_type: "${data.entity_type}" }],
      [
        "tpl-ner_exp-default-ner_evaluation_flow",
        { groundtruth: "${data.results}", prediction: "${run.outputs.entities}" },
      ],
    ]);
    expect(calls[0]!.data).toBe(path.join(flows, "named-entity-recognition/data/ner-train.jsonl"));
    expect(calls[1]!.data).toBe(path.join(flows, "named-entity-recognition/data/ner-test.jsonl"));
    expect(result.metrics.map((m) => m.metric)).toEqual(["exact_match_rate", "partial_match_rate"]);
  });
});
