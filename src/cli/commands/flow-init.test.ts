import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv, runCli } from "../../../tests/support/run-cli.js";
import { TEMPLATE_ANSWER } from "../flow-init/init-flow.js";

/** `flowops flow init`: promptflow's templates, each one valid and runnable as written. */
describe("flowops flow init", () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const { cli, json } = cliInEnv(() => env);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-cli-init-"));
    env = { FLOWOPS_HOME: path.join(root, "home"), FLOWOPS_LLM_MODE: "replay", CI: "1" };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const init = (name: string, ...extra: string[]) =>
    json("flow", "init", "--flow", path.join(root, name), ...extra);
  const validate = async (name: string) => {
    const result = await cli("flow", "validate", "--source", path.join(root, name));
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  it("writes promptflow's standard template (prompt + python node), which validates, tests and runs over its data", async () => {
    const created = await init("standard");
    expect(created.files).toEqual(
      expect.arrayContaining(["flow.dag.yaml", "hello.jinja2", "hello.py", "data.jsonl", "requirements.txt"]),
    );
    expect(await validate("standard")).toContain("is valid (2 nodes)");
    const outputs = await json(
      "flow",
      "test",
      "--flow",
      path.join(root, "standard"),
      "--inputs",
      "text=Hi there",
    );
    expect(outputs.output_prompt).toMatch(/^Prompt: [\s\S]*Write a simple Hi there program/);
    const dag = await readFile(path.join(root, "standard", "flow.dag.yaml"), "utf8");
    expect(dag).toContain("python_requirements_txt: requirements.txt");
  });

  it("writes the chat template with a recorded placeholder answer, so it runs in replay mode", async () => {
    await init("chat", "--type", "chat", "--connection", "my_aoai", "--deployment", "gpt-4o");
    const dag = await readFile(path.join(root, "chat", "flow.dag.yaml"), "utf8");
    expect(dag).toContain("connection: my_aoai");
    expect(dag).toContain("deployment_name: gpt-4o");
    expect(dag).toContain("is_chat_history: true");
    expect(await readdir(path.join(root, "chat", ".recordings"))).toHaveLength(1);
    expect(await validate("chat")).toContain("is valid (1 node)");
    const outputs = await json("flow", "test", "--flow", path.join(root, "chat"));
    expect(outputs).toEqual({ answer: TEMPLATE_ANSWER });
    // Outside replay, the connection is checked: the template names it.
    const live = await runCli(["flow", "validate", "--source", path.join(root, "chat")], {
      env: { FLOWOPS_HOME: env["FLOWOPS_HOME"] },
    });
    expect(live.code).toBe(2);
    expect(live.stderr).toContain("my_aoai");
  });

  it("writes the evaluation template whose aggregation node logs accuracy", async () => {
    await init("evaluation", "--type", "evaluation");
    const folder = path.join(root, "evaluation");
    const created = await cli(
      "run",
      "create",
      "--flow",
      folder,
      "--data",
      path.join(folder, "data.jsonl"),
      "--name",
      "eval",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(await json("run", "show-metrics", "--name", "eval")).toEqual({ accuracy: 0.67 });
  });

  it("writes a flex flow (python function entry) whose outputs come from its dataclass", async () => {
    await init("flex", "--type", "flex");
    expect(await validate("flex")).toContain("flow.flex.yaml is valid");
    const outputs = await json("flow", "test", "--flow", path.join(root, "flex"), "--inputs", "text=Hi");
    expect(outputs).toEqual({
      output: "Prompt: Write a simple Hi program that displays the greeting message.",
      length: 69,
    });
  });

  it("never overwrites: an existing flow file is a usage error naming it", async () => {
    const folder = path.join(root, "taken");
    await init("taken");
    await writeFile(path.join(folder, "hello.py"), "# mine\n");
    const again = await cli("flow", "init", "--flow", folder);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already has flow.dag.yaml");
    expect(await readFile(path.join(folder, "hello.py"), "utf8")).toBe("# mine\n");
    const badType = await cli("flow", "init", "--flow", path.join(root, "other"), "--type", "vision");
    expect(badType.code).toBe(2);
  });
});
