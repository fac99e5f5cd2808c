// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:VAR}` is connection syntax, not a template.
import { describe, expect, it } from "vitest";
import { InvalidConnectionError, parseConnection } from "./connection-schema.js";
import { parseConnectionYaml } from "./connection-yaml.js";
import { maskConnection, secretValues } from "./mask-connection.js";
import { resolveConnection } from "./resolve-connection.js";

describe("connection YAML (promptflow's schemas)", () => {
  it("reads an azure_open_ai connection with defaults, as promptflow documents it", () => {
    const yaml = [
      "$schema: https://azuremlschemas.azureedge.net/promptflow/latest/AzureOpenAIConnection.schema.json",
      "name: open_ai_connection",
      "type: azure_open_ai",
      'api_key: "${env:AOAI_KEY}"',
      'api_base: "https://my.openai.azure.com/"',
      "api_type: azure",
      "api_version: 2024-06-01",
      "auth_mode: meid_token",
    ].join("\n");
    expect(parseConnectionYaml(yaml, "conn.yaml")).toMatchObject({
      name: "open_ai_connection",
      type: "azure_open_ai",
      api_key: "${env:AOAI_KEY}",
      api_version: "2024-06-01",
      auth_mode: "meid_token",
    });
    const minimal = parseConnection({ name: "a", type: "azure_open_ai", api_base: "https://x" }, "x");
    expect(minimal).toMatchObject({ api_type: "azure", auth_mode: "key", api_version: "2024-10-21" });
  });

  it("reads open_ai with base_url, custom with configs and secrets, and --set overrides", () => {
    const openai = parseConnectionYaml(
      "name: ollama\ntype: open_ai\napi_key: x\nbase_url: http://localhost:11434/v1\n",
      "o.yaml",
    );
    expect(openai).toMatchObject({ type: "open_ai", base_url: "http://localhost:11434/v1" });
    const custom = parseConnectionYaml(
      "name: c\ntype: custom\nconfigs:\n  region: eu\nsecrets:\n  token: '<to-be-replaced>'\n",
      "c.yaml",
      ["secrets.token=s3cret", "configs.tier=gold"],
    );
    expect(custom).toEqual({
      name: "c",
      type: "custom",
      configs: { region: "eu", tier: "gold" },
      secrets: { token: "s3cret" },
    });
  });

  it("names the file and every bad field", () => {
    const error = (() => {
      try {
        parseConnectionYaml(
          "name: bad\ntype: azure_open_ai\napi_kye: x\nauth_mode: password\n",
          "conns/bad.yaml",
        );
      } catch (e) {
        return e as InvalidConnectionError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidConnectionError);
    expect(error?.message).toContain("conns/bad.yaml");
    expect(error?.message).toContain("field 'api_base': is required");
    expect(error?.message).toContain("field 'auth_mode'");
    expect(error?.message).toContain("unknown field 'api_kye'");
    expect(() => parseConnection({ name: "x", type: "vertex" }, "v.yaml")).toThrow(
      /v\.yaml: field 'type': 'vertex' is not a known connection type; use one of azure_open_ai, open_ai/,
    );
    expect(() => parseConnectionYaml("name: [unclosed\n", "y.yaml")).toThrow(/y\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe("maskConnection and resolveConnection", () => {
  it("masks api keys, custom secrets and AWS keys, keeping ${env:} references and other fields", () => {
    expect(maskConnection({ name: "o", type: "open_ai", api_key: "sk-123456" })).toEqual({
      name: "o",
      type: "open_ai",
      api_key: "******",
    });
    expect(
      maskConnection({
        name: "c",
        type: "custom",
        configs: { a: "1" },
        secrets: { t: "tok", e: "${env:T}" },
      }),
    ).toEqual({ name: "c", type: "custom", configs: { a: "1" }, secrets: { t: "******", e: "${env:T}" } });
    const bedrock = maskConnection({
      name: "b",
      type: "bedrock",
      region: "us-east-1",
      access_key_id: "AKIA1",
      secret_access_key: "shh",
    });
    expect(bedrock).toMatchObject({
      region: "us-east-1",
      access_key_id: "******",
      secret_access_key: "******",
    });
    expect(secretValues({ name: "b", type: "bedrock", region: "r", secret_access_key: "shh" })).toEqual([
      "shh",
    ]);
  });

  it("resolves ${env:VAR} at use time and names the field when the variable is missing", () => {
    const conn = {
      name: "o",
      type: "open_ai" as const,
      api_key: "${env:MY_KEY}",
      base_url: "http://${env:HOST}/v1",
    };
    expect(resolveConnection(conn, { MY_KEY: "k", HOST: "h:1" })).toMatchObject({
      api_key: "k",
      base_url: "http://h:1/v1",
    });
    expect(() => resolveConnection(conn, { HOST: "h" })).toThrow(
      "Connection 'o' field 'api_key' refers to ${env:MY_KEY}, which is not set: set MY_KEY in the environment.",
    );
  });
});
