import { cp, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../core/errors.js";
import { readRequirements } from "../../core/read-requirements.js";
import type { FlowBuildInfo } from "./inspect-flows.js";

/** What the app's image needs from the flowops package: the compiled code, its manifest and the host settings. */
export const APP_FILES = ["package.json", "package-lock.json", "host.json", "dist", "bin"] as const;
/** The python side of the runtime (worker and shim), read from src/ at run time. */
export const PYTHON_RUNTIME = "src/runtimes/python";
const SKIP = new Set(["node_modules", ".git", "__pycache__", ".venv", "venv", ".runs", ".flowops"]);

/**
 * The images' Python: the system interpreter, with every flow's requirements installed into it at build
 * time. flowops still gives each flow its virtual environment at run time (one per requirements, with
 * the system site packages visible), where pip then finds everything already installed: no download
 * when a request arrives.
 */
export const IMAGE_PYTHON = "/usr/bin/python3";

/** Refuses a folder that exists and is not empty: a build never overwrites files. */
export async function prepareOutput(folder: string): Promise<void> {
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (entries.length > 0)
    throw new UserError(
      "BuildOutputNotEmpty",
      `--output ${folder} is not empty: give a new or empty folder (a build never overwrites files).`,
      { field: "--output", location: { file: folder } },
    );
  await mkdir(folder, { recursive: true });
}

/** Copies the flowops app (compiled) from its package folder into `target`. */
export async function copyApp(packageRoot: string, target: string): Promise<string[]> {
  const copied: string[] = [];
  for (const name of APP_FILES) {
    const source = path.join(packageRoot, name);
    const present = await readdir(path.dirname(source)).then((names) => names.includes(name));
    if (!present) {
      if (name === "dist")
        throw new UserError(
          "BuildAppNotCompiled",
          `${source} is missing: compile flowops first (npm run build), then run flowops build again.`,
          { location: { file: source } },
        );
      continue;
    }
    await cp(source, path.join(target, name), { recursive: true, filter: keep });
    copied.push(name);
  }
  // The python worker and promptflow shim are not compiled: they run from src/ beside dist/.
  await cp(path.join(packageRoot, PYTHON_RUNTIME), path.join(target, PYTHON_RUNTIME), {
    recursive: true,
    filter: (item) => keep(item) && !item.endsWith(".ts") && path.basename(item) !== "__fixtures__",
  });
  copied.push(PYTHON_RUNTIME);
  return copied;
}

/** Copies a flow folder (without caches, virtual environments and local runs). */
export async function copyFlow(source: string, target: string): Promise<void> {
  await cp(source, target, { recursive: true, filter: keep });
}

/**
 * Writes each flow's requirements to `requirements/<flow>.txt` (flow names with `/` become `__`) and
 * returns the relative paths, in flow order. promptflow's own packages are left out, as flowops leaves
 * them out of its run-time environments (its worker provides `promptflow`); a flow with nothing else
 * to install gets no file.
 */
export async function copyRequirements(flows: FlowBuildInfo[], output: string): Promise<string[]> {
  const written: string[] = [];
  for (const flow of flows) {
    if (!flow.requirements) continue;
    const { install, provided } = await readRequirements(flow.requirements);
    if (install.length === 0) continue;
    const relative = `requirements/${flow.name.replaceAll("/", "__")}.txt`;
    const note = provided.length > 0 ? `# left out (flowops provides them): ${provided.join(", ")}\n` : "";
    await writeText(output, relative, `${note}${install.join("\n")}\n`);
    written.push(relative);
  }
  return written;
}

export async function writeText(output: string, relative: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(output, relative)), { recursive: true });
  await writeFile(path.join(output, relative), text);
}

/** Caches and local state stay out, and so do files that hold local secrets (`.env*`, `local.settings.json`). */
function keep(item: string): boolean {
  const name = path.basename(item);
  return !SKIP.has(name) && name !== ".env" && !name.startsWith(".env.") && name !== "local.settings.json";
}
