// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ExperimentValidationError } from "./experiment-errors.js";
import { loadExperiment } from "./load-experiment.js";

const flows = path.resolve(import.meta.dirname, "../../../flows");
const nerExperiment = path.join(flows, "experiments/ner-experiment.yaml");

async function experimentFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "flowops-exp-"));
  const file = path.join(dir, "experiment.yaml");
  await writeFile(file, yaml.replaceAll("FLOWS", flows));
  return file;
}

async function problems(yaml: string): Promise<ExperimentValidationError> {
  const error = await loadExperiment(await experimentFile(yaml)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExperimentValidationError);
  return error as ExperimentValidationError;
}

describe("loadExperiment", () => {
  it("reads the NER experiment: variants, data sets resolved from the file, evaluators, gates", async () => {
    const experiment = await loadExperiment(nerExperiment);
    expect(experiment.name).toBe("ner");
    expect(experiment.flow).toBe(path.join(flows, "named-entity-recognition"));
    expect(experiment.variants).toEqual([
      { id: "${NER_LLM.variant_0}", label: "variant_0" },
      { id: "${NER_LLM.variant_1}", label: "variant_1" },
    ]);
    expect(experiment.datasets.map((d) => [d.name, d.source, d.isAsset])).toEqual([
      ["train", path.join(flows, "named-entity-recognition/data/ner-train.jsonl"), false],
      ["test", path.join(flows, "named-entity-recognition/data/ner-test.jsonl"), false],
    ]);
    expect(experiment.evaluators.map((e) => [e.name, e.datasets])).toEqual([
      ["entity_match", ["train", "test"]],
      ["exact_match", ["test"]],
    ]);
    expect(experiment.gates).toHaveLength(2);
  });

  it("expands `variants: all` to every variant of the flow, and no variants to the defaults", async () => {
    const all = await loadExperiment(
      await experimentFile(
        `name: e\nflow: FLOWS/named-entity-recognition\nvariants: all\ndatasets:\n  - {name: d, source: FLOWS/named-entity-recognition/data/ner-test.jsonl}\n`,
      ),
    );
    expect(all.variants.map((v) => v.label)).toEqual(["variant_0", "variant_1"]);
    const none = await loadExperiment(
      await experimentFile(
        `name: e\nflow: FLOWS/chat\ndatasets:\n  - {name: d, source: FLOWS/chat/data/questions.jsonl}\n`,
      ),
    );
    expect(none.variants).toEqual([{ id: undefined, label: "default" }]);
  });

  it("accepts a data asset reference name:version", async () => {
    const experiment = await loadExperiment(
      await experimentFile(`name: e\nflow: FLOWS/chat\ndatasets:\n  - {name: d, source: "ner-test:3"}\n`),
    );
    expect(experiment.datasets[0]).toMatchObject({ source: "ner-test:3", isAsset: true });
  });

  it("names the file, line and field of schema errors", async () => {
    const error = await problems(
      [
        "name: ner",
        "flow: FLOWS/named-entity-recognition",
        "datasets:",
        "  - name: train",
        "    source: FLOWS/named-entity-recognition/data/ner-train.jsonl",
        "gates:",
        "  - metric: exact_match_rate",
        "    evaluator: x",
        "evaluators: oops",
      ].join("\n"),
    );
    const fields = error.diagnostics.map((d) => `${d.line}:${d.field}`);
    expect(fields).toContain("7:gates[0]");
    expect(fields).toContain("9:evaluators");
    expect(error.message).toMatch(/experiment\.yaml:7:\d+: 'gates\[0\]': a gate needs 'min', 'max' or both/);
  });

  it("reports every meaning error at once: variants, files, data set and evaluator names", async () => {
    const error = await problems(
      [
        "name: ner",
        "flow: FLOWS/named-entity-recognition",
        "variants: ['${NER_LLM.variant_9}', 'variant_1']",
        "datasets:",
        "  - name: train",
        "    source: missing.jsonl",
        "  - name: train",
        "    source: FLOWS/named-entity-recognition/data/ner-test.jsonl",
        "evaluators:",
        "  - name: match",
        "    flow: FLOWS/evaluators/partial-match",
        "    datasets: [tset]",
        "gates:",
        "  - {metric: exact_match_rate, evaluator: mtach, min: 0.5}",
        "  - {metric: exact_match_rate, evaluator: match, dataset: dev, min: 0.5}",
      ].join("\n"),
    );
    const byField = Object.fromEntries(error.diagnostics.map((d) => [d.field, `${d.line} ${d.message}`]));
    expect(byField["variants[0]"]).toMatch(
      /^3 the flow has no variant '\$\{NER_LLM.variant_9\}': use one of \$\{NER_LLM.variant_0\}, \$\{NER_LLM.variant_1\}/,
    );
    expect(byField["variants[1]"]).toMatch(
      /'variant_1' is not a variant reference: write \$\{NODE.VARIANT_ID\}/,
    );
    expect(byField["datasets[0].source"]).toMatch(/^6 no data file or folder at 'missing.jsonl'/);
    expect(byField["datasets[1].name"]).toMatch(/^7 data set name 'train' is used twice/);
    expect(byField["evaluators[0].datasets[0]"]).toMatch(/^12 unknown data set 'tset'/);
    expect(byField["gates[0].evaluator"]).toMatch(/^14 unknown evaluator 'mtach': use one of match/);
    expect(byField["gates[1].dataset"]).toMatch(/^15 unknown data set 'dev'/);
  });

  it("reports YAML syntax errors with their position", async () => {
    const error = await problems("name: ner\nflow: [unclosed\n");
    expect(error.diagnostics[0]).toMatchObject({ code: "YamlSyntax" });
    expect(error.diagnostics[0]!.line).toBeGreaterThan(0);
  });

  it("says when the flow cannot be read", async () => {
    const error = await problems(
      `name: e\nflow: FLOWS/nope\ndatasets:\n  - {name: d, source: FLOWS/chat/data/questions.jsonl}\n`,
    );
    expect(error.diagnostics[0]).toMatchObject({ field: "flow", line: 2 });
    expect(error.diagnostics[0]!.message).toMatch(/the flow '.*nope' is not valid: .*no flow at/);
  });
  it("checks the flows themselves and names their problems", async () => {
    const file = await experimentFile(
      `name: e\nflow: FLOWS/chat\ndatasets:\n  - {name: d, source: FLOWS/chat/data/questions.jsonl}\nevaluators:\n  - {name: broken, flow: broken-eval}\n`,
    );
    const flowDir = path.join(path.dirname(file), "broken-eval");
    await mkdir(flowDir);
    await writeFile(
      path.join(flowDir, "flow.dag.yaml"),
      "inputs:\n  x: {type: string}\noutputs:\n  y: {reference: '${nothere.output}'}\nnodes: []\n",
    );
    const error = (await loadExperiment(file).catch((e: unknown) => e)) as ExperimentValidationError;
    expect(error).toBeInstanceOf(ExperimentValidationError);
    expect(error.diagnostics[0]).toMatchObject({ field: "evaluators[0].flow", line: 6 });
    expect(error.diagnostics[0]!.message).toMatch(
      /the evaluation flow 'broken-eval' is not valid: .*nothere/,
    );
  });
});
