// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow reference syntax and expected TypeScript text, not a template.
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../tests/support/run-cli.js";
import { loadFlowDefinition } from "../core/check-flow.js";
import { createFlowExecutor } from "../core/create-flow-executor.js";
import type { ModelPort } from "../core/model-port.js";
import { readDeploymentFile } from "../deploy/deployment-file.js";
import { loadExperiment } from "../runs/experiments/load-experiment.js";
import { createPythonRunner } from "../runtimes/python/index.js";
import { checkMigration, convertPipeline, migrateNode, pythonExpressionToTypescript } from "./index.js";

const fixtures = path.resolve(import.meta.dirname, "../../tests/fixtures/promptflow-compat");
const noModels: ModelPort = {
  invoke: () => Promise.reject(new Error("no model in this test")),
  stream: () => {
    throw new Error("no model in this test");
  },
};

describe("flowops migrate", () => {
  const python = createPythonRunner({ size: 1 });
  afterAll(() => python.stop());

  it("check: tells which flows run as they are, which need pip packages or missing packages, and which nodes convert", async () => {
    const reports = await checkMigration(fixtures);
    const byFlow = Object.fromEntries(reports.map((r) => [r.flow, r]));
    expect(byFlow["eval-accuracy/flow.dag.yaml"]).toMatchObject({
      kind: "dag",
      status: "runs-as-is",
      convertibleNodes: ["grade", "calculate_accuracy"],
    });
    expect(byFlow["prompty-basic/basic.prompty"]).toMatchObject({ kind: "prompty", status: "runs-as-is" });
    expect(byFlow["flex-class/flow.flex.yaml"]).toMatchObject({ kind: "flex", status: "runs-as-is" });
    // A module-level constant would be lost by a one-function translation: not offered.
    expect(byFlow["conditional-if-else/flow.dag.yaml"]!.convertibleNodes).not.toContain(
      "content_safety_check",
    );
    expect(byFlow["migrate/numpy-node/flow.dag.yaml"]).toMatchObject({
      status: "runs-with-requirements",
      pythonRequirements: ["numpy"],
      convertibleNodes: [],
    });
    expect(byFlow["migrate/vector-search/flow.dag.yaml"]).toMatchObject({
      status: "needs-packages",
      missingPackages: [
        {
          name: "promptflow-vectordb (promptflow_vectordb.tool.faiss_index_lookup.FaissIndexLookup.search)",
          neededBy: ["lookup"],
        },
      ],
    });
    expect(byFlow["migrate/prompty-in-code/flow.dag.yaml"]).toMatchObject({
      status: "needs-packages",
      missingPackages: [{ name: "promptflow: promptflow.core (Prompty)", neededBy: ["ask"] }],
    });
  });

  it("check through the CLI prints the report and exits 2 when a flow cannot run", async () => {
    const result = await runCli(["migrate", "check", fixtures]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("eval-accuracy/flow.dag.yaml (dag): ✓ runs as it is");
    expect(result.stdout).toContain("needs promptflow-vectordb");
    expect(result.stdout).toMatch(/\d+ flows: \d+ run as they are/);
  });

  it("node: the TypeScript version of a python node gives the same outputs when the node is switched", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-migrate-node-"));
    await cp(path.join(fixtures, "eval-accuracy"), dir, { recursive: true });
    const { file, code } = await migrateNode({ flow: dir, node: "grade" });
    expect(file).toBe(path.join(dir, "grade.ts"));
    expect(code).toContain("export default function grade(");
    await expect(migrateNode({ flow: dir, node: "grade" })).rejects.toThrow(/already exists: pass --force/);

    const lines = (await readFile(path.join(dir, "data.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, string>);
    const outputs = async () => {
      const executor = await createFlowExecutor(await loadFlowDefinition(dir), { models: noModels, python });
      return Promise.all(lines.map(async (line) => (await executor.run(line)).outputs));
    };
    const before = await outputs();
    const yaml = await readFile(path.join(dir, "flow.dag.yaml"), "utf8");
    await writeFile(
      path.join(dir, "flow.dag.yaml"),
      yaml
        .replace(/(name: grade\s+type:) python/, "$1 typescript")
        .replace("path: grade.py", "path: grade.ts"),
    );
    expect((await loadFlowDefinition(dir)).nodes[0]).toMatchObject({ type: "typescript" });
    expect(await outputs()).toEqual(before);
    expect(before.map((o) => o.grade)).toEqual(["Correct", "Correct", "Incorrect", "Incorrect"]);
  });

  it("node: refuses nodes that are not python, naming the node", async () => {
    await expect(
      migrateNode({ flow: path.join(fixtures, "chat-basic"), node: "chat", dryRun: true }),
    ).rejects.toThrow(/Node 'chat' is not a python code node/);
  });

  it("translates common Python expressions", () => {
    expect(pythonExpressionToTypescript('f"{name.upper()} has {len(items)} items"')).toBe(
      "`${name.toUpperCase()} has ${items.length} items`",
    );
    expect(pythonExpressionToTypescript('", ".join(words)')).toBe('words.join(", ")');
    expect(pythonExpressionToTypescript("x is None or not ok")).toBe("x === null || !ok");
    expect(pythonExpressionToTypescript('"log in" if word in words else "no"')).toBe(
      '(words.includes(word)) ? "log in" : "no"',
    );
  });

  it("pipeline: the LLMOps template's experiment.yaml and deployment_config.json become flowops files", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "flowops-migrate-pipeline-"));
    const template = path.join(fixtures, "llmops-template");
    const written = await convertPipeline({
      experiment: path.join(template, "experiment.yaml"),
      deploymentConfig: path.join(template, "deployment_config.json"),
      outputDir: out,
    });
    expect(written.map((w) => path.basename(w.file))).toEqual([
      "experiment.flowops.yaml",
      "deployment.dev.yaml",
      "deployment.prod.yaml",
    ]);
    const experiment = await loadExperiment(path.join(out, "experiment.flowops.yaml"));
    expect(experiment.flow).toBe(path.join(fixtures, "flex-class"));
    expect(experiment.datasets[0]).toMatchObject({
      name: "word_count_dev",
      source: "word_count_dev:1",
      isAsset: true,
      column_mapping: { text: "${data.text}" },
    });
    expect(experiment.evaluators[0]).toMatchObject({
      name: "accuracy_eval",
      flow: path.join(fixtures, "eval-accuracy"),
      datasets: ["word_count_dev"],
      evaluationData: {
        word_count_dev: {
          source: path.join(template, "data/test.jsonl"),
          column_mapping: { groundtruth: "${data.expected}", prediction: "${run.outputs.label}" },
        },
      },
    });
    expect(await readDeploymentFile(path.join(out, "deployment.dev.yaml"))).toEqual({
      endpoint: "word-count-dev",
      traffic: [
        { reference: "word_count:production", weight: 90 },
        { reference: "word_count:latest", weight: 10 },
      ],
    });
    expect(await readDeploymentFile(path.join(out, "deployment.prod.yaml"))).toEqual({
      endpoint: "word-count",
      traffic: [{ reference: "word_count:latest", weight: 100 }],
    });
  });
});
