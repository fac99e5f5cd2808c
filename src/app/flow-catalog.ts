import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/errors.js";
import type { FlowExecutor } from "../core/execution-types.js";
import type { FlowFunction } from "../flow-function.js";
import { runQueueName } from "../stores/queue-messages.js";

/** A flow name the app does not serve. */
export class UnknownFlowError extends UserError {
  constructor(name: string, known: readonly string[], field = "flow") {
    super(
      "UnknownFlow",
      `No flow named '${name}' is served here (flows: ${known.join(", ") || "none"}). Put a folder with a flow.dag.yaml under FLOWOPS_FLOWS.`,
      { field },
    );
  }
}

export interface LoadedFlow {
  name: string;
  executor: FlowExecutor;
  flow: FlowFunction;
  /** Stops the flow's python workers, if any started. */
  stop(): Promise<void>;
}

const SKIPPED = new Set(["node_modules", "data", "experiments", "scripts"]);

/**
 * The flows served by the app: every folder with a `flow.dag.yaml` under the flows folder (two levels
 * deep, so `flows/evaluators/exact-match` is the flow `exact-match`), found once at start-up and each
 * loaded once on first use. Names must make valid queue names (`{flow}-runs`).
 */
export class FlowCatalog {
  private readonly folders: Map<string, string>;
  private readonly loaded = new Map<string, Promise<LoadedFlow>>();
  readonly skipped: string[] = [];

  constructor(
    readonly root: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.folders = new Map();
    for (const folder of findFlowFolders(path.resolve(root), 3)) {
      const name = path.basename(folder);
      try {
        runQueueName(name);
      } catch {
        this.skipped.push(`${folder}: the name '${name}' cannot name a queue`);
        continue;
      }
      if (this.folders.has(name)) this.skipped.push(`${folder}: a flow named '${name}' was found first`);
      else this.folders.set(name, folder);
    }
  }

  names(): string[] {
    return [...this.folders.keys()].sort();
  }

  has(name: string): boolean {
    return this.folders.has(name);
  }

  /** The flow folder; throws UnknownFlowError. */
  folder(name: string, field?: string): string {
    const folder = this.folders.get(name);
    if (!folder) throw new UnknownFlowError(name, this.names(), field);
    return folder;
  }

  /** The flow, loaded (validated, code nodes compiled, model port wired) once. */
  load(name: string): Promise<LoadedFlow> {
    const folder = this.folder(name);
    let loading = this.loaded.get(name);
    if (!loading) {
      loading = loadFlowFolder(name, folder, this.env);
      this.loaded.set(name, loading);
      loading.catch(() => this.loaded.delete(name)); // a broken flow is retried on the next use
    }
    return loading;
  }

  /** Stops every loaded flow's python workers. */
  async close(): Promise<void> {
    const loading = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(loading.map((flow) => flow.then((loaded) => loaded.stop()).catch(() => undefined)));
  }

  /** Names of the flows that have loaded (for /api/health). */
  async loadedNames(): Promise<string[]> {
    const names: string[] = [];
    for (const [name, loading] of this.loaded) {
      if (await loading.then(() => true).catch(() => false)) names.push(name);
    }
    return names.sort();
  }
}

/** Python workers per flow: as many as lines may run at once in this process. */
const PYTHON_WORKERS = 8;

async function loadFlowFolder(name: string, folder: string, env: NodeJS.ProcessEnv): Promise<LoadedFlow> {
  // The engine loads with the first flow, not when the catalog lists the flows at start-up.
  const [{ loadFlowExecutor, toFlowFunction }, { createPythonRunner }] = await Promise.all([
    import("../load-flow.js"),
    import("../runtimes/python/index.js"),
  ]);
  // Workers start only when a python node runs; the host's `start` sets up tracing for the process.
  const python = createPythonRunner({ cwd: folder, env, size: PYTHON_WORKERS });
  try {
    const executor = await loadFlowExecutor(folder, { env, tracing: false, python });
    return { name, executor, flow: toFlowFunction(executor), stop: () => python.stop() };
  } catch (error) {
    await python.stop();
    throw error;
  }
}

function findFlowFolders(folder: string, depth: number): string[] {
  if (!existsSync(folder)) return [];
  if (existsSync(path.join(folder, "flow.dag.yaml"))) return [folder];
  if (depth === 0) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith(".") && !SKIPPED.has(entry.name))
    .filter(
      (entry) => entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path.join(folder, entry.name))),
    )
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => findFlowFolders(path.join(folder, entry.name), depth - 1));
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
