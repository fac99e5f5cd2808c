/**
 * Package tools beyond flowops's built-in list: a tool package installed in python (found through its
 * `package_tools` entry point; here a dist-info folder on PYTHONPATH) runs in the python worker, a
 * ToolProvider class tool getting its connection; without the package, the error names what to install.
 */

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/python-package-tool");

describe("python package tools", () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = {
      PATH: process.env["PATH"] ?? "",
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-pkgtools-")),
      FLOWOPS_CONNECTION_GREETING_SETTINGS: JSON.stringify({
        type: "custom",
        configs: { greeting: "Hello" },
      }),
    };
  });

  it("runs tools listed by an installed package's package_tools entry point", async () => {
    const result = await runCli(["flow", "test", "--flow", path.join(fixtures, "flow")], {
      env: { ...env, PYTHONPATH: path.join(fixtures, "site") },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ reversed: "adA", greeting: "Hello, adA" });
  });

  it("without the package, the error names the package to install", async () => {
    const result = await runCli(["flow", "test", "--flow", path.join(fixtures, "flow")], { env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("my_tool_package.tools.reverse");
    expect(result.stderr).toContain("pip install my-tool-package");
  });
});
