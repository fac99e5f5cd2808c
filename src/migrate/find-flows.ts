import { readdir } from "node:fs/promises";
import path from "node:path";

const SKIP = new Set(["node_modules", ".git", ".venv", "venv", "__pycache__", ".promptflow", ".runs"]);
const FLOW_FILE = /^(flow\.dag\.ya?ml|flow\.flex\.ya?ml|.*\.prompty)$/;

/**
 * Every promptflow flow under a folder: `flow.dag.yaml`/`flow.flex.yaml` files and `.prompty` files
 * (a prompty inside a DAG or flex flow's folder is part of that flow, not a flow of its own).
 * Sorted paths of the flow files.
 */
export async function findFlows(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && FLOW_FILE.test(e.name)).map((e) => e.name);
    const yaml = files.filter((name) => !name.endsWith(".prompty"));
    const chosen = yaml.length > 0 ? [yaml.sort()[0]!] : files;
    for (const name of chosen) found.push(path.join(dir, name));
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIP.has(entry.name) && !entry.name.startsWith("."))
        await walk(path.join(dir, entry.name));
    }
  };
  await walk(path.resolve(root));
  return found.sort();
}
