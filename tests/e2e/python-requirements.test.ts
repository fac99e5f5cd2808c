/**
 * `environment.python_requirements_txt`: one virtual environment per requirements under FLOWOPS_HOME,
 * installed with pip from a local wheel folder (PIP_FIND_LINKS, so --no-index: no network), the flow's
 * python workers running in it; promptflow's own packages are skipped (flowops provides them); a pip
 * failure names the file and the packages; `migrate check` says what will be installed.
 */

import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadFlow } from "../../src/load-flow.js";
import { runCli } from "../support/run-cli.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/python-requirements");

describe("per-flow python requirements", () => {
  let env: NodeJS.ProcessEnv;
  let home: string;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "flowops-reqs-"));
    home = path.join(work, "home");
    const wheels = path.join(work, "wheels");
    execFileSync("python3", [path.join(fixtures, "build_wheel.py"), wheels]);
    await cp(path.join(fixtures, "flow"), path.join(work, "flow"), { recursive: true });
    env = {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? work,
      FLOWOPS_HOME: home,
      PIP_FIND_LINKS: wheels,
      ...(process.env["FLOWOPS_PYTHON"] ? { FLOWOPS_PYTHON: process.env["FLOWOPS_PYTHON"] } : {}),
    };
  });

  it("installs the requirements into a venv under FLOWOPS_HOME once, and runs the flow's workers in it", {
    timeout: 180_000,
  }, async () => {
    const fn = await loadFlow(path.join(work, "flow"), { env, tracing: false });
    let prefix: string;
    try {
      const { doubled } = (await fn({ number: 21 })) as { doubled: { value: number; prefix: string } };
      expect(doubled.value).toBe(42);
      prefix = doubled.prefix;
    } finally {
      await fn.close();
    }
    const envs = await readdir(path.join(home, "python-envs"));
    expect(envs).toHaveLength(1);
    expect(prefix).toBe(path.join(home, "python-envs", envs[0]!));

    // The same requirements again: the environment is reused, not rebuilt.
    const again = await runCli(["flow", "test", "--flow", path.join(work, "flow"), "--inputs", "number=5"], {
      env,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).doubled.value).toBe(10);
    expect(again.stderr).not.toContain("installing");
    expect(await readdir(path.join(home, "python-envs"))).toEqual(envs);
  });

  it("reports a pip failure naming the requirements file and the packages", {
    timeout: 180_000,
  }, async () => {
    const broken = path.join(work, "broken");
    await cp(path.join(fixtures, "flow"), broken, { recursive: true });
    await writeFile(path.join(broken, "requirements.txt"), "flowops-no-such-package==9.9\n");
    const result = await runCli(["flow", "test", "--flow", broken], { env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("pip could not install");
    expect(result.stderr).toContain(path.join(broken, "requirements.txt"));
    expect(result.stderr).toContain("flowops-no-such-package==9.9");
    expect(result.stderr).toMatch(/No matching distribution|Could not find a version/);
  });

  it("migrate check says what will be installed and what flowops provides", async () => {
    const result = await runCli(["migrate", "check", path.join(work, "flow")], { env });
    expect(result.stdout + result.stderr).toContain("flowops-tinypkg==0.1");
    expect(result.stdout + result.stderr).toMatch(
      /promptflow>=1\.10.*provided by flowops|provided by flowops.*promptflow>=1\.10/s,
    );
  });
});
