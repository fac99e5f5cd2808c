import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../tests/support/run-cli.js";

const KEY = "sk-super-secret-key-0123456789";
/** `${env:AOAI_KEY}`, spelled so that it is not mistaken for a template. */
const ENV_REFERENCE = ["$", "{env:AOAI_KEY}"].join("");

describe("flowops connection", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let file: string;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), "flowops-cli-conn-"));
    env = { FLOWOPS_HOME: home };
    file = path.join(home, "aoai.yaml");
    await writeFile(
      file,
      [
        "$schema: https://azuremlschemas.azureedge.net/promptflow/latest/AzureOpenAIConnection.schema.json",
        "name: aoai",
        "type: azure_open_ai",
        "api_key: <to-be-replaced>",
        "api_base: https://example.openai.azure.com/",
        "api_type: azure",
        "api_version: 2024-02-01",
        "",
      ].join("\n"),
    );
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it("creates a connection from promptflow YAML with --set, stores it 0600 and never prints the secret", async () => {
    const created = await runCli(["connection", "create", "--file", file, "--set", `api_key=${KEY}`], {
      env,
    });
    expect(created.code).toBe(0);
    expect(created.stderr).toContain("created connection 'aoai' (azure_open_ai)");
    const shown = JSON.parse(created.stdout);
    expect(shown).toMatchObject({ name: "aoai", type: "azure_open_ai", api_key: "******" });
    expect(created.stdout + created.stderr).not.toContain(KEY);

    const dir = path.join(home, "connections");
    const [stored] = await readdir(dir);
    expect((await stat(path.join(dir, stored!))).mode & 0o777).toBe(0o600);

    const again = await runCli(["connection", "create", "--file", file, "--set", "api_key=other"], { env });
    expect(again.stderr).toContain("updated connection 'aoai'");
  });

  it("lists and shows connections masked, including those from FLOWOPS_CONNECTION_* variables", async () => {
    await runCli(["connection", "create", "--file", file, "--set", `api_key=${KEY}`, "--name", "second"], {
      env,
    });
    const withEnv = {
      ...env,
      FLOWOPS_CONNECTION_FROM_ENV: JSON.stringify({
        type: "open_ai",
        api_key: KEY,
        base_url: "http://127.0.0.1:1/v1",
      }),
    };
    const list = await runCli(["connection", "list"], { env: withEnv });
    expect(list.code).toBe(0);
    const names = (JSON.parse(list.stdout) as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(["from_env", "second"]);
    expect(list.stdout).not.toContain(KEY);

    const show = await runCli(["connection", "show", "--name", "second"], { env: withEnv });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      name: "second",
      api_key: "******",
      api_base: "https://example.openai.azure.com/",
    });
    expect(show.stdout).not.toContain(KEY);
  });

  it("keeps env:VAR references as written (they name a variable, not a secret)", async () => {
    const result = await runCli(
      ["connection", "create", "--file", file, "--set", `api_key=${ENV_REFERENCE}`],
      { env },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).api_key).toBe(ENV_REFERENCE);
  });

  it("shows a clear error with exit 2 for an unknown connection or a bad file", async () => {
    const show = await runCli(["connection", "show", "--name", "nope"], { env });
    expect(show.code).toBe(2);
    expect(show.stderr).toContain("Connection 'nope' does not exist");

    await writeFile(file, "name: bad\ntype: open_ai\n");
    const bad = await runCli(["connection", "create", "--file", file], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("api_key");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it("deletes with --yes, asks for --yes without a terminal, and cannot delete environment connections", async () => {
    await runCli(["connection", "create", "--file", file, "--set", `api_key=${KEY}`], { env });
    const unconfirmed = await runCli(["connection", "delete", "--name", "aoai"], { env });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain("--yes");

    const deleted = await runCli(["connection", "delete", "--name", "aoai", "--yes"], { env });
    expect(deleted.code).toBe(0);
    expect((await runCli(["connection", "show", "--name", "aoai"], { env })).code).toBe(2);

    const fromEnv = await runCli(["connection", "delete", "--name", "from_env", "--yes"], {
      env: { ...env, FLOWOPS_CONNECTION_FROM_ENV: JSON.stringify({ type: "open_ai", api_key: KEY }) },
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain("FLOWOPS_CONNECTION_FROM_ENV");
  });
});
