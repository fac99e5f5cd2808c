import { access } from "node:fs/promises";
import path from "node:path";
import { readFlowDefinition } from "../../core/index.js";
import { findFlows } from "../../migrate/find-flows.js";

/** What a build needs to know of one flow: whether python runs it, and its requirements file. */
export interface FlowBuildInfo {
  /** The flow's name as the Functions app serves it: its folder's path under the flows root. */
  name: string;
  /** Absolute path of the flow folder. */
  directory: string;
  /** Python nodes, or a python flex entry: the flow needs Python at run time. */
  python: boolean;
  /** Absolute path of `environment.python_requirements_txt` (or a requirements.txt beside a python flow). */
  requirements?: string;
}

/** Every flow under `root` (flow.dag.yaml, flow.flex.yaml, .prompty), with what the build needs. */
export async function inspectFlows(root: string): Promise<FlowBuildInfo[]> {
  const flows: FlowBuildInfo[] = [];
  for (const file of await findFlows(root)) flows.push(await inspectFlow(file, root));
  return flows;
}

/** One flow (a folder or its flow file); `root` names it (default: its folder's name). */
export async function inspectFlow(source: string, root?: string): Promise<FlowBuildInfo> {
  const definition = await readFlowDefinition(path.resolve(source));
  const directory = definition.directory;
  const name = root
    ? path.relative(path.resolve(root), directory).split(path.sep).join("/") || path.basename(directory)
    : path.basename(directory);
  const python = usesPython(definition);
  const declared = definition.environment?.python_requirements_txt;
  const candidate = declared
    ? path.resolve(directory, declared)
    : python
      ? path.join(directory, "requirements.txt")
      : undefined;
  const requirements = candidate && (await exists(candidate)) ? candidate : undefined;
  return { name, directory, python, ...(requirements ? { requirements } : {}) };
}

function usesPython(definition: Awaited<ReturnType<typeof readFlowDefinition>>): boolean {
  const flex = definition.extra["flex"] as { language?: string } | undefined;
  if (flex?.language === "python") return true;
  const bodies = [
    ...definition.nodes,
    ...Object.values(definition.node_variants).flatMap((entry) =>
      Object.values(entry.variants).map((v) => v.node),
    ),
  ];
  return bodies.some((node) => node.type === "python");
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
