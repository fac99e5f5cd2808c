import { homedir } from "node:os";
import { join } from "node:path";

/** The folder of flowops' local state (stores, connections, caches, traces): `$FLOWOPS_HOME`, or `~/.flowops`. */
export function flowopsHome(env: NodeJS.ProcessEnv = process.env): string {
  return env["FLOWOPS_HOME"] || join(homedir(), ".flowops");
}
