import { stat } from "node:fs/promises";
import path from "node:path";
import type { FlowFunction } from "../flow-function.js";
import { loadFlow } from "../load-flow.js";
import type { Registry } from "../registry/registry.js";

/** Loaded flow versions, by `name:version`. */
export interface FlowVersionCache {
  get(flow: string, version: number): Promise<FlowFunction>;
}

export interface FlowVersionCacheOptions {
  registry: Registry;
  /** Where versions are downloaded: `<cacheDir>/<name>/<version>-<hash prefix>/`. */
  cacheDir: string;
  /** Environment for loading (FLOWOPS_LLM_MODE, connections...). */
  env?: NodeJS.ProcessEnv;
  /** How a downloaded folder becomes a flow; default loadFlow (recordings: `<folder>/.recordings`). */
  load?: (dir: string) => Promise<FlowFunction>;
}

/**
 * Downloads each registered version once (the folder is immutable: a version never changes, so a
 * folder already on disk is reused, also by other processes) and loads it once per process.
 */
export function createFlowVersionCache(options: FlowVersionCacheOptions): FlowVersionCache {
  const env = options.env ?? process.env;
  const load = options.load ?? ((dir: string) => loadFlow(dir, { env }));
  const loaded = new Map<string, Promise<FlowFunction>>();
  const prepare = async (flow: string, version: number): Promise<FlowFunction> => {
    const asset = await options.registry.resolve("flow", { name: flow, version });
    const dir = path.join(options.cacheDir, flow, `${version}-${asset.hash.slice(0, 12)}`);
    if (!(await isDirectory(dir))) {
      try {
        await options.registry.download("flow", `${flow}:${version}`, dir);
      } catch (error) {
        if (!(await isDirectory(dir))) throw error; // another process won the race: use its copy
      }
    }
    return load(dir);
  };
  return {
    get(flow, version) {
      const key = `${flow}:${version}`;
      let found = loaded.get(key);
      if (!found) {
        found = prepare(flow, version);
        found.catch(() => loaded.delete(key));
        loaded.set(key, found);
      }
      return found;
    },
  };
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}
