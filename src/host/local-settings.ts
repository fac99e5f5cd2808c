import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The `Values` of `local.settings.json` (as `func start` reads them) merged under the environment:
 * a variable already set wins. Missing file: the environment unchanged.
 */
export function withLocalSettings(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  let values: Record<string, unknown> = {};
  try {
    const json = JSON.parse(readFileSync(path.join(root, "local.settings.json"), "utf8")) as {
      Values?: Record<string, unknown>;
    };
    values = json.Values ?? {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw new Error(`local.settings.json: ${(error as Error).message}`);
  }
  const merged: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== "") merged[key] = String(value);
  }
  return { ...merged, ...env };
}
