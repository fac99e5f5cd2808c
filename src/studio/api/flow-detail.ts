import { open } from "node:fs/promises";
import path from "node:path";
import { checkFlow } from "../../core/check-flow.js";
import type { FlowDefinition, NodeDefinition } from "../../core/flow-definition.js";
import { resolveFlowFile } from "../../core/resolve-flow-file.js";
import type { FlowDetail, FlowSummary, NodeSourceView } from "./flow-detail-types.js";
import { buildFlowGraph } from "./flow-graph.js";

export type { FlowDetail, FlowSummary, NodeSourceView } from "./flow-detail-types.js";

/** The most of a template or code file the flow page shows. */
export const MAX_SOURCE_BYTES = 64 * 1024;

/** The flow's summary for the flows list: reads and validates flow.dag.yaml (no code is loaded). */
export async function flowSummary(name: string, folder: string): Promise<FlowSummary> {
  const { definition, diagnostics } = await checkFlow(folder);
  return {
    name,
    ...(description(definition) ? { description: description(definition)! } : {}),
    chat: definition ? chatRoles(definition).chatInput !== undefined : false,
    problems: diagnostics.length,
  };
}

/** Everything the flow page shows: DAG, node templates and code, inputs, variants, validation problems. */
export async function flowDetail(name: string, folder: string): Promise<FlowDetail> {
  const { definition, diagnostics } = await checkFlow(folder);
  const yamlFile = definition?.file ?? path.join(folder, "flow.dag.yaml");
  const yaml = await readBounded(yamlFile);
  const relative = diagnostics.map((d) => ({
    ...d,
    ...(d.file ? { file: path.relative(folder, d.file) || path.basename(d.file) } : {}),
  }));
  if (!definition) {
    return {
      name,
      chat: false,
      problems: diagnostics.length,
      inputs: {},
      outputs: {},
      sources: [],
      variants: [],
      diagnostics: relative,
      ...(yaml ? { yaml: yaml.text } : {}),
    };
  }
  return {
    name,
    ...(description(definition) ? { description: description(definition)! } : {}),
    chat: chatRoles(definition).chatInput !== undefined,
    problems: diagnostics.length,
    inputs: definition.inputs,
    outputs: definition.outputs,
    graph: buildFlowGraph(definition),
    sources: await nodeSources(definition),
    variants: variantReferences(definition),
    diagnostics: relative,
    ...(yaml ? { yaml: yaml.text } : {}),
    ...chatRoles(definition),
  };
}

function description(definition: FlowDefinition | undefined): string | undefined {
  const value = definition?.extra["description"];
  return typeof value === "string" ? value : undefined;
}

function chatRoles(definition: FlowDefinition): Pick<FlowDetail, "chatInput" | "chatHistory" | "chatOutput"> {
  const input = Object.entries(definition.inputs).find(([, i]) => i.is_chat_input)?.[0];
  const history = Object.entries(definition.inputs).find(([, i]) => i.is_chat_history)?.[0];
  const output = Object.entries(definition.outputs).find(([, o]) => o.is_chat_output)?.[0];
  return {
    ...(input ? { chatInput: input } : {}),
    ...(history ? { chatHistory: history } : {}),
    ...(output ? { chatOutput: output } : {}),
  };
}

function variantReferences(definition: FlowDefinition): string[] {
  return Object.entries(definition.node_variants).flatMap(([node, variants]) =>
    [
      variants.default_variant_id,
      ...Object.keys(variants.variants).filter((id) => id !== variants.default_variant_id),
    ].map((id) => `\${${node}.${id}}`),
  );
}

async function nodeSources(definition: FlowDefinition): Promise<NodeSourceView[]> {
  const views: NodeSourceView[] = [];
  for (const node of definition.nodes) {
    const variants = definition.node_variants[node.name];
    if (node.use_variants && variants) {
      for (const [id, variant] of Object.entries(variants.variants))
        views.push(await sourceView(definition, node.name, variant.node, id));
    } else {
      views.push(await sourceView(definition, node.name, node));
    }
  }
  return views;
}

async function sourceView(
  definition: FlowDefinition,
  node: string,
  body: Partial<NodeDefinition>,
  variant?: string,
): Promise<NodeSourceView> {
  const file = body.source?.path;
  const view: NodeSourceView = {
    node,
    ...(variant ? { variant } : {}),
    ...(body.type ? { type: body.type } : {}),
    ...(file ? { file } : {}),
    language: languageOf(body.type, file),
  };
  if (!file) return view;
  const resolved = resolveFlowFile(definition, file);
  const read = resolved ? await readBounded(resolved) : undefined;
  return read ? { ...view, text: read.text, ...(read.truncated ? { truncated: true } : {}) } : view;
}

function languageOf(type: string | undefined, file: string | undefined): NodeSourceView["language"] {
  if (type === "typescript" || /\.(ts|js|mjs)$/.test(file ?? "")) return "typescript";
  if (type === "python" || /\.py$/.test(file ?? "")) return "python";
  if (type === "llm" || type === "prompt" || /\.(jinja2|j2|prompty)$/.test(file ?? "")) return "jinja";
  return "text";
}

async function readBounded(file: string): Promise<{ text: string; truncated: boolean } | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, "r");
    const buffer = Buffer.alloc(MAX_SOURCE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const truncated = bytesRead > MAX_SOURCE_BYTES;
    return { text: buffer.subarray(0, Math.min(bytesRead, MAX_SOURCE_BYTES)).toString("utf8"), truncated };
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
