// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
/**
 * Engine overhead: a 10-node DAG of trivial TypeScript nodes (3 parallel → join → 5 in a chain → out)
 * through flowops' executor, against the same graph on LangGraph.js. Prints the time per node of each
 * and the ratio; exits non-zero when flowops is not at least 50× faster per node.
 *
 *   node --import tsx bench/engine-overhead.bench.ts
 */
import { fileURLToPath } from "node:url";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { createFlowExecutor } from "../src/core/create-flow-executor.js";
import type { FlowDefinition, NodeDefinition } from "../src/core/flow-definition.js";
import type { ModelPort } from "../src/core/model-port.js";
import join from "./fixtures/join-node.js";
import source from "./fixtures/source-node.js";
import step from "./fixtures/step-node.js";

const TARGET_RATIO = 50;
const NODES = 10;
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

const node = (name: string, file: string, inputs: Record<string, unknown>): NodeDefinition => ({
  name,
  type: "typescript",
  source: { type: "code", path: file },
  inputs,
});

const definition: FlowDefinition = {
  directory: FIXTURES,
  file: `${FIXTURES}flow.dag.yaml`,
  inputs: { x: { type: "int" } },
  outputs: { out: { reference: "${out.output}" } },
  nodes: [
    node("a", "source-node.ts", { x: "${inputs.x}", k: 1 }),
    node("b", "source-node.ts", { x: "${inputs.x}", k: 2 }),
    node("c", "source-node.ts", { x: "${inputs.x}", k: 3 }),
    node("j", "join-node.ts", { a: "${a.output}", b: "${b.output}", c: "${c.output}" }),
    node("s1", "step-node.ts", { value: "${j.output}" }),
    node("s2", "step-node.ts", { value: "${s1.output}" }),
    node("s3", "step-node.ts", { value: "${s2.output}" }),
    node("s4", "step-node.ts", { value: "${s3.output}" }),
    node("s5", "step-node.ts", { value: "${s4.output}" }),
    node("out", "step-node.ts", { value: "${s5.output}" }),
  ],
  node_variants: {},
  additional_includes: [],
  extra: {},
};

const noModels: ModelPort = {
  invoke: () => Promise.reject(new Error("no model in this benchmark")),
  stream: () => {
    throw new Error("no model in this benchmark");
  },
};

function buildLangGraph() {
  const value = () => Annotation<number>();
  const State = Annotation.Root({
    x: value(),
    a: value(),
    b: value(),
    c: value(),
    j: value(),
    s1: value(),
    s2: value(),
    s3: value(),
    s4: value(),
    s5: value(),
    out: value(),
  });
  type S = typeof State.State;
  return new StateGraph(State)
    .addNode("node_a", (s: S) => ({ a: source({ x: s.x, k: 1 }) }))
    .addNode("node_b", (s: S) => ({ b: source({ x: s.x, k: 2 }) }))
    .addNode("node_c", (s: S) => ({ c: source({ x: s.x, k: 3 }) }))
    .addNode("node_j", (s: S) => ({ j: join({ a: s.a, b: s.b, c: s.c }) }))
    .addNode("node_s1", (s: S) => ({ s1: step({ value: s.j }) }))
    .addNode("node_s2", (s: S) => ({ s2: step({ value: s.s1 }) }))
    .addNode("node_s3", (s: S) => ({ s3: step({ value: s.s2 }) }))
    .addNode("node_s4", (s: S) => ({ s4: step({ value: s.s3 }) }))
    .addNode("node_s5", (s: S) => ({ s5: step({ value: s.s4 }) }))
    .addNode("node_out", (s: S) => ({ out: step({ value: s.s5 }) }))
    .addEdge(START, "node_a")
    .addEdge(START, "node_b")
    .addEdge(START, "node_c")
    .addEdge(["node_a", "node_b", "node_c"], "node_j")
    .addEdge("node_j", "node_s1")
    .addEdge("node_s1", "node_s2")
    .addEdge("node_s2", "node_s3")
    .addEdge("node_s3", "node_s4")
    .addEdge("node_s4", "node_s5")
    .addEdge("node_s5", "node_out")
    .addEdge("node_out", END)
    .compile();
}

/** Mean time per node in microseconds over `iterations` runs after `warmup` runs. */
async function measure(
  run: (x: number) => Promise<number>,
  warmup: number,
  iterations: number,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await check(run, i);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await run(i);
  return ((performance.now() - started) * 1000) / (iterations * NODES);
}

/** Both engines must compute the same thing: out = 3x + 6 + 6. */
async function check(run: (x: number) => Promise<number>, x: number): Promise<void> {
  const out = await run(x);
  if (out !== 3 * x + 12) throw new Error(`wrong result ${out} for x=${x}`);
}

const executor = await createFlowExecutor(definition, { models: noModels });
const graph = buildLangGraph();
const viaFlowops = async (x: number) => (await executor.run({ x })).outputs.out as number;
const viaLangGraph = async (x: number) => (await graph.invoke({ x })).out as number;

const langgraphPerNode = await measure(viaLangGraph, 100, 400);
const flowopsPerNode = await measure(viaFlowops, 2_000, 20_000);
const ratio = langgraphPerNode / flowopsPerNode;

console.log(
  "engine overhead: 10-node DAG of trivial TypeScript nodes (3 parallel -> join -> 5 chain -> out)",
);
console.log(`  flowops executor: ${flowopsPerNode.toFixed(2)} µs per node`);
console.log(`  LangGraph.js:     ${langgraphPerNode.toFixed(2)} µs per node`);
console.log(
  `  ratio: ${ratio.toFixed(1)}× (target ≥ ${TARGET_RATIO}×) ${ratio >= TARGET_RATIO ? "PASS" : "FAIL"}`,
);
if (ratio < TARGET_RATIO) process.exitCode = 1;
