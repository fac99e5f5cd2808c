// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:VAR}` is connection syntax, not a template.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConnectionCatalog } from "./connection-catalog.js";
import { createConnectionFileStore } from "./connection-file-store.js";
import { ConnectionExistsError } from "./connection-store.js";
import { createConnectionStore } from "./create-connection-store.js";
import { createEnvConnectionStore } from "./env-connection-store.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "flowops-home-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const aoai = { name: "aoai", type: "open_ai" as const, api_key: "sk-file-secret" };

describe("connection file store", () => {
  it("writes <home>/connections/<name>.json with mode 0600 in a 0700 directory, and reads it back", async () => {
    const store = createConnectionFileStore(home);
    await store.create(aoai);
    const file = join(home, "connections", "aoai.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "connections"))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(aoai);
    expect(await store.get("aoai")).toEqual(aoai);
    expect(await store.get("AOAI")).toEqual(aoai);
    await expect(store.create(aoai)).rejects.toBeInstanceOf(ConnectionExistsError);
    await store.upsert({ ...aoai, base_url: "http://127.0.0.1:1/v1" });
    expect((await store.list()).map((c) => c.name)).toEqual(["aoai"]);
    expect(await store.delete("aoai")).toBe(true);
    expect(await store.delete("aoai")).toBe(false);
    expect(await store.get("aoai")).toBeUndefined();
  });

  it("rejects names that could escape the directory, and names a corrupt file", async () => {
    const store = createConnectionFileStore(home);
    await expect(store.get("../etc/passwd")).rejects.toThrow(/not a valid connection name/);
    await store.create(aoai);
    await writeFile(join(home, "connections", "aoai.json"), '{"name":"aoai","type":"open_ai"}');
    await expect(store.get("aoai")).rejects.toThrow(/connections\/aoai\.json: field 'api_key': is required/);
  });
});

describe("environment and composite stores", () => {
  const env = {
    FLOWOPS_HOME: "",
    FLOWOPS_CONNECTION_MY_AOAI: JSON.stringify({
      type: "azure_open_ai",
      api_base: "https://x",
      api_key: "${env:K}",
    }),
    FLOWOPS_CONNECTION_AOAI: JSON.stringify({ name: "aoai", type: "open_ai", api_key: "from-env" }),
  };

  it("finds FLOWOPS_CONNECTION_<NAME> case-insensitively with '-' as '_', read-only", async () => {
    const store = createEnvConnectionStore(env);
    expect(await store.get("my-aoai")).toMatchObject({
      name: "my-aoai",
      type: "azure_open_ai",
      api_key: "${env:K}",
    });
    expect(await store.get("My_Aoai")).toMatchObject({ type: "azure_open_ai" });
    expect(await store.get("other")).toBeUndefined();
    expect((await store.list()).map((c) => c.name).sort()).toEqual(["aoai", "my_aoai"]);
    await expect(store.create(aoai)).rejects.toThrow(/read-only/);
    await expect(createEnvConnectionStore({ FLOWOPS_CONNECTION_BAD: "{nope" }).get("bad")).rejects.toThrow(
      /FLOWOPS_CONNECTION_BAD: not valid JSON/,
    );
  });

  it("reads the environment first, then FLOWOPS_HOME files; writes go to the files", async () => {
    const store = createConnectionStore({ ...env, FLOWOPS_HOME: home });
    await store.create({ name: "aoai", type: "open_ai", api_key: "from-file" });
    await store.create({ name: "files-only", type: "mistral", api_key: "m" });
    expect(await store.get("aoai")).toMatchObject({ api_key: "from-env" });
    expect(await store.get("files-only")).toMatchObject({ type: "mistral" });
    expect((await store.list()).map((c) => c.name)).toEqual(["aoai", "files-only", "my_aoai"]);

    const catalog = await loadConnectionCatalog(store);
    expect(catalog.get("my-aoai")).toEqual({ name: "my_aoai", type: "azure_open_ai" });
    expect(catalog.get("files-only")).toEqual({ name: "files-only", type: "mistral" });
    expect(catalog.get("missing")).toBeUndefined();
  });
});
