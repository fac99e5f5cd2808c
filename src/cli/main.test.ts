import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../tests/support/run-cli.js";
import { writeFolder } from "../../tests/support/test-flows.js";

describe("flowops main", () => {
  it("documents the commands, the environment and the exit codes in --help", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: flowops");
    expect(result.stdout).toMatch(/flow\s+create, validate, test and serve/);
    expect(result.stdout).toMatch(/connection\s+manage connections/);
    expect(result.stdout).toContain("FLOWOPS_HOME");
    expect(result.stdout).toMatch(
      /Exit codes:\n\s+0\s+success\n\s+1\s+the flow or run failed.*\n\s+2\s+usage or validation error/,
    );
  });

  it("lists every command group with its description, and examples for runs and experiments", async () => {
    const result = await runCli(["--help"]);
    const groups = [
      "flow",
      "connection",
      "run",
      "experiment",
      "registry",
      "build",
      "deploy",
      "endpoint",
      "start",
      "studio",
      "migrate",
    ];
    const listed = [...result.stdout.matchAll(/^ {2}([a-z]+)(?: \[\w+\])? {2,}\S/gm)].map((m) => m[1]);
    expect(listed).toEqual([...groups, "help"]);
    expect(result.stdout).toMatch(/\n {2}\$ flowops run create --flow \S+ --data \S+/);
    expect(result.stdout).toContain("$ flowops run create --flow flows/evaluators/partial-match");
    expect(result.stdout).toMatch(/\n {2}\$ flowops experiment run \S+\.yaml/);
  });

  it("gives every command help with examples", async () => {
    for (const command of [
      ["flow", "validate"],
      ["flow", "test"],
      ["flow", "serve"],
      ["connection", "create"],
      ["connection", "list"],
      ["connection", "show"],
      ["connection", "delete"],
      ["run", "create"],
      ["experiment", "run"],
      ["studio"],
    ]) {
      const result = await runCli([...command, "--help"]);
      expect(result.code, command.join(" ")).toBe(0);
      expect(result.stdout, command.join(" ")).toMatch(/Examples?:\n\s+\$ flowops /);
    }
  });

  it("prints the version", async () => {
    const result = await runCli(["--version"]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("exits 2 on usage errors: unknown commands and missing required options", async () => {
    const unknown = await runCli(["flow", "tset"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'tset'");
    expect(unknown.stderr).toContain("(Did you mean test?)");

    const missing = await runCli(["flow", "validate"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--source <path>");
  });

  it("reports a missing flow as one line, with exit 2", async () => {
    const result = await runCli(["flow", "test", "--flow", "no/such/flow"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(2);
    expect(result.stderr).toContain("no/such/flow");
  });

  it("never prints a configured secret: flow outputs and error messages are scrubbed", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-cli-secret-"));
    try {
      await writeFolder(dir, {
        "flow.dag.yaml": [
          "inputs:",
          "  text: {type: string}",
          "  fail: {type: bool, default: false}",
          "outputs:",
          '  echo: {reference: "${echo.output}"}',
          "nodes:",
          "  - name: echo",
          "    type: typescript",
          "    source: {type: code, path: echo.ts}",
          '    inputs: {text: "${inputs.text}", fail: "${inputs.fail}"}',
          "",
        ].join("\n"),
        "echo.ts":
          "export default function echo({ text, fail }: { text: string; fail: boolean }) {\n  if (fail) throw new Error(`rejected ${text}`);\n  return `echo ${text}`;\n}\n",
      });
      // The secret of a connection given in the environment, in a format no pattern knows.
      const secret = "Zt8~unknown~format~4471";
      const env = {
        FLOWOPS_HOME: dir,
        FLOWOPS_TRACING: "off",
        FLOWOPS_CONNECTION_SVC: JSON.stringify({ type: "custom", configs: {}, secrets: { token: secret } }),
      };
      const ok = await runCli(["flow", "test", "--flow", dir, "--inputs", `text=${secret}`], { env });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain("echo ***");
      const failed = await runCli(
        ["flow", "test", "--flow", dir, "--inputs", `text=${secret}`, "fail=true"],
        {
          env,
        },
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain("rejected ***");
      expect(ok.stdout + ok.stderr + failed.stdout + failed.stderr).not.toContain(secret);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
