import { readFile } from "node:fs/promises";

/**
 * Requirements flowops's worker provides itself (its promptflow-compatible module): they are not
 * installed, so flows keep using flowops's engine for Prompty, tracing and metrics.
 */
const PROVIDED = /^(promptflow|promptflow[-_](core|tools|tracing|devkit|azure))(\[.*\])?\s*([<>=!~;].*)?$/i;

/** The requirements a flow's requirements.txt asks for, and which of them flowops provides. */
export async function readRequirements(file: string): Promise<{ install: string[]; provided: string[] }> {
  const install: string[] = [];
  const provided: string[] = [];
  const text = await readFile(file, "utf8").catch(() => "");
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) continue;
    (PROVIDED.test(line) ? provided : install).push(line);
  }
  return { install, provided };
}
