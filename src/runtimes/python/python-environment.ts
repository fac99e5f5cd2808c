import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../core/errors.js";
import { readRequirements } from "../../core/read-requirements.js";

export interface PythonEnvironmentOptions {
  /** The flow's requirements.txt (absolute). */
  requirements: string;
  /** FLOWOPS_HOME: environments live in `<home>/python-envs/<hash>`. */
  home: string;
  /** The interpreter that creates the environment (default FLOWOPS_PYTHON, else python3). */
  python?: string;
  /** pip reads its own settings from here (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS, PIP_CONFIG_FILE...). */
  env?: NodeJS.ProcessEnv;
  /** Progress lines ("installing ..."). */
  log?: (line: string) => void;
}

/** pip could not install a flow's requirements: names the file, the packages and pip's own words. */
export class PythonRequirementsError extends UserError {
  constructor(file: string, packages: string[], output: string) {
    const tail = output.trim().split("\n").slice(-6).join("\n");
    super(
      "PythonRequirementsFailed",
      `pip could not install ${file} (${packages.join(", ")}):\n${tail}\nCheck the package names and versions; without internet, point pip at a wheel folder (PIP_FIND_LINKS=/path/to/wheels, flowops then adds --no-index) or a private index (PIP_INDEX_URL).`,
      { field: "environment.python_requirements_txt" },
    );
  }
}

const environments = new Map<string, Promise<string>>();

/**
 * The interpreter of a virtual environment holding a flow's requirements: one environment per
 * requirements content (and base interpreter) under FLOWOPS_HOME, created once with pip and reused by
 * every flow asking for the same. Built in a temporary folder and renamed when complete, so a failed or
 * concurrent install never leaves a half environment behind.
 */
export function ensurePythonEnvironment(options: PythonEnvironmentOptions): Promise<string> {
  const env = options.env ?? process.env;
  const base = options.python ?? env["FLOWOPS_PYTHON"] ?? "python3";
  const key = `${options.home}\n${options.requirements}\n${base}`;
  let found = environments.get(key);
  if (!found) {
    found = createEnvironment(options, base, env);
    found.catch(() => environments.delete(key));
    environments.set(key, found);
  }
  return found;
}

async function createEnvironment(
  options: PythonEnvironmentOptions,
  base: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const { install } = await readRequirements(options.requirements);
  // Nothing to install (only promptflow's own packages, or no file): the base interpreter does.
  if (install.length === 0) return base;
  const hash = createHash("sha256")
    .update(base)
    .update("\0")
    .update(install.join("\n"))
    .digest("hex")
    .slice(0, 16);
  const folder = path.join(options.home, "python-envs", hash);
  const python = interpreterIn(folder);
  if (existsSync(path.join(folder, ".flowops-ready"))) return python;
  const building = `${folder}.building-${process.pid}-${Date.now()}`;
  await mkdir(path.dirname(folder), { recursive: true });
  try {
    // System site packages stay visible: what the base interpreter already has satisfies pip offline.
    await run(
      base,
      ["-m", "venv", "--system-site-packages", building],
      env,
      `create a virtual environment with '${base}'`,
    );
    if (install.length > 0) {
      options.log?.(`installing ${install.join(", ")} into ${folder} (once per requirements)`);
      const noIndex = env["PIP_FIND_LINKS"] && !env["PIP_INDEX_URL"] ? ["--no-index"] : [];
      const list = path.join(building, "flowops-requirements.txt");
      await writeFile(list, `${install.join("\n")}\n`);
      const result = await run(
        interpreterIn(building),
        ["-m", "pip", "install", "--disable-pip-version-check", ...noIndex, "-r", list],
        { ...env, PIP_NO_INPUT: "1" },
        undefined,
        path.dirname(options.requirements),
      );
      if (result.code !== 0) throw new PythonRequirementsError(options.requirements, install, result.output);
    }
    await writeFile(path.join(building, ".flowops-ready"), `${install.join("\n")}\n`);
    await rename(building, folder).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished the same environment first: use theirs.
      if (!existsSync(path.join(folder, ".flowops-ready"))) throw error;
    });
    return python;
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}

function interpreterIn(folder: string): string {
  return process.platform === "win32"
    ? path.join(folder, "Scripts", "python.exe")
    : path.join(folder, "bin", "python");
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  failure: string | undefined,
  cwd?: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-8000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", (error) =>
      reject(
        new UserError(
          "PythonNotFound",
          `could not run '${command}': ${error.message}. Install Python 3 or set FLOWOPS_PYTHON.`,
        ),
      ),
    );
    child.once("close", (code) => {
      if (code !== 0 && failure)
        reject(
          new UserError(
            "PythonEnvironmentFailed",
            `could not ${failure}:\n${output.trim().split("\n").slice(-4).join("\n")}`,
          ),
        );
      else resolve({ code: code ?? 1, output });
    });
  });
}
