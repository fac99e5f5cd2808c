import { readFile } from "node:fs/promises";
import path from "node:path";
import { FlowValidationError } from "../core/errors.js";
import type { FlowDefinition } from "../core/flow-definition.js";
import { distributionOfTool, packageToolKind } from "../core/package-tools/index.js";
import { readFlowDefinition } from "../core/read-flow-definition.js";
import { readRequirements } from "../core/read-requirements.js";
import { resolveFlowFile } from "../core/resolve-flow-file.js";
import { validateFlow } from "../core/validate-flow.js";
import { findFlows } from "./find-flows.js";
import { inspectPython, type PythonFileFacts, STANDARD_LIBRARY } from "./inspect-python.js";

export type MigrationStatus = "runs-as-is" | "runs-with-requirements" | "needs-packages" | "invalid";

export interface FlowMigrationReport {
  /** The flow file, relative to the checked folder. */
  flow: string;
  kind: "dag" | "flex" | "prompty";
  status: MigrationStatus;
  /** Packages flowops does not provide, each with the nodes/files that need them. */
  missingPackages: { name: string; neededBy: string[] }[];
  /** Python packages the flow's code imports beyond the standard library (pip install them). */
  pythonRequirements: string[];
  /** `environment.python_requirements_txt`: what flowops installs into the flow's environment, and what it provides itself. */
  requirementsTxt?: { file: string; install: string[]; provided: string[] };
  /** Validation problems other than missing packages. */
  problems: string[];
  /** Python nodes simple enough for `flowops migrate node` to write a TypeScript version. */
  convertibleNodes: string[];
}

/** `flowops migrate check DIR`: for each promptflow flow under DIR, whether and how it runs on flowops. */
export async function checkMigration(root: string): Promise<FlowMigrationReport[]> {
  const reports: FlowMigrationReport[] = [];
  for (const file of await findFlows(root)) reports.push(await checkOne(path.resolve(root), file));
  return reports;
}

async function checkOne(root: string, file: string): Promise<FlowMigrationReport> {
  const report: FlowMigrationReport = {
    flow: path.relative(root, file) || path.basename(file),
    kind: file.endsWith(".prompty") ? "prompty" : /\.flex\.ya?ml$/.test(file) ? "flex" : "dag",
    status: "runs-as-is",
    missingPackages: [],
    pythonRequirements: [],
    problems: [],
    convertibleNodes: [],
  };
  let definition: FlowDefinition;
  try {
    definition = await readFlowDefinition(file);
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    report.problems = error.diagnostics.map((d) => d.message);
    report.status = "invalid";
    return report;
  }
  const missing = new Map<string, Set<string>>();
  const need = (name: string, by: string) => {
    if (!missing.has(name)) missing.set(name, new Set());
    missing.get(name)!.add(by);
  };
  for (const diagnostic of validateFlow(definition)) {
    if (diagnostic.code === "PackageToolNotSupported" || diagnostic.code === "UnknownNodeType") continue;
    report.problems.push(`${diagnostic.node ? `node '${diagnostic.node}': ` : ""}${diagnostic.message}`);
  }
  const requirements = new Set<string>();
  for (const node of allNodes(definition)) {
    const tool = node.source.tool;
    if (node.source.type !== "code") {
      if (!packageToolKind(tool)) need(`${distributionOfTool(tool ?? "")} (${tool ?? "no tool"})`, node.name);
      continue;
    }
    if (node.type !== "python" || !node.source.path) continue;
    const facts = await pythonFacts(definition, node.source.path);
    if (!facts) continue;
    for (const module of facts.unsupportedPromptflow) need(`promptflow: ${module}`, node.name);
    const external = facts.imports.filter(
      (m) => m !== "promptflow" && !STANDARD_LIBRARY.has(m) && !isLocal(definition, m),
    );
    for (const module of external) requirements.add(module);
    if (isConvertible(facts, external)) report.convertibleNodes.push(node.name);
  }
  const declared = definition.environment?.python_requirements_txt;
  if (declared) {
    const listed = await readRequirements(path.resolve(definition.directory, declared));
    report.requirementsTxt = { file: declared, ...listed };
  }
  report.missingPackages = [...missing].map(([name, by]) => ({ name, neededBy: [...by].sort() }));
  report.pythonRequirements = [...requirements].sort();
  report.status =
    report.problems.length > 0
      ? "invalid"
      : report.missingPackages.length > 0
        ? "needs-packages"
        : report.pythonRequirements.length > 0 || (report.requirementsTxt?.install.length ?? 0) > 0
          ? "runs-with-requirements"
          : "runs-as-is";
  return report;
}

function allNodes(definition: FlowDefinition) {
  const variants = Object.entries(definition.node_variants).flatMap(([name, v]) =>
    Object.values(v.variants).map((variant) => ({ ...variant.node, name })),
  );
  return [...definition.nodes.filter((n) => !n.use_variants), ...variants];
}

async function pythonFacts(
  definition: FlowDefinition,
  relative: string,
): Promise<PythonFileFacts | undefined> {
  const file = resolveFlowFile(definition, relative);
  if (!file) return undefined;
  return inspectPython(await readFile(file, "utf8"));
}

/** A module that is a file or package of the flow itself (`from utils import x` with utils.py beside). */
function isLocal(definition: FlowDefinition, module: string): boolean {
  return Boolean(
    resolveFlowFile(definition, `${module}.py`) || resolveFlowFile(definition, `${module}/__init__.py`),
  );
}

function isConvertible(facts: PythonFileFacts, external: string[]): boolean {
  return (
    facts.tools.length === 1 &&
    external.length === 0 &&
    facts.unsupportedPromptflow.length === 0 &&
    !facts.usesConnections &&
    !facts.isAsync &&
    !facts.isGenerator &&
    !facts.definesClasses &&
    !facts.hasModuleState
  );
}
