import { describe, expect, it } from "vitest";
import {
  environmentSecretValues,
  isSecretVariableName,
  registerEnvironmentSecrets,
  registerSecret,
  scrubbingLog,
  scrubbingWriter,
  scrubSecrets,
  scrubValue,
  withoutSecrets,
} from "./index.js";

describe("the secret scrubber", () => {
  it("removes a registered secret of any format as an exact string, also URL-encoded and JSON-escaped", () => {
    const secret = 'pä$$ word/"quoted"+odd';
    registerSecret(secret);
    const text = [
      `raw ${secret}`,
      `url https://x.test/?k=${encodeURIComponent(secret)}`,
      `json ${JSON.stringify({ value: secret })}`,
      `form ${encodeURIComponent(secret).replace(/%20/g, "+")}`,
    ].join("\n");
    const scrubbed = scrubSecrets(text);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).not.toContain(encodeURIComponent(secret));
    expect(scrubbed).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(scrubbed).toContain("raw ***");
    expect(scrubbed).toContain('json {"value":"***"}');
  });

  it("skips trivially short values and ${env:VAR} references, and keeps the pattern net", () => {
    registerSecret("abc");
    registerSecret("${env:AZURE_OPENAI_API_KEY}");
    expect(scrubSecrets("abc ${env:AZURE_OPENAI_API_KEY}")).toBe("abc ${env:AZURE_OPENAI_API_KEY}");
    expect(scrubSecrets("Authorization: Bearer abcdefghijklmnop")).toBe("Authorization: Bearer ***");
  });

  it("scrubs values deeply, masking secret-named keys unless told not to", () => {
    registerSecret("zq-unknown-format-7781");
    const value = { out: ["says zq-unknown-format-7781"], api_key: "other", max_tokens: 5 };
    expect(scrubValue(value)).toEqual({ out: ["says ***"], api_key: "***", max_tokens: 5 });
    expect(scrubValue(value, { secretKeys: false, patterns: false })).toEqual({
      out: ["says ***"],
      api_key: "other",
      max_tokens: 5,
    });
  });

  it("wraps writers and loggers", () => {
    registerSecret("writer-secret-123");
    const written: string[] = [];
    const writer = scrubbingWriter({ isTTY: false, write: (text: string) => written.push(text) });
    writer.write("leak writer-secret-123");
    expect(writer.isTTY).toBe(false);
    const logged: string[] = [];
    scrubbingLog((level: string, message: string) => logged.push(`${level} ${message}`))(
      "error",
      "leak writer-secret-123",
    );
    expect([...written, ...logged]).toEqual(["leak ***", "error leak ***"]);
  });
});

describe("environment secrets", () => {
  it("tells secret variable names from the others", () => {
    for (const name of [
      "AZURE_OPENAI_API_KEY",
      "AZURE_OPENAI_KEY",
      "OPENAI_API_KEY",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "GITHUB_TOKEN",
      "DB_PASSWORD",
      "COSMOS_CONNECTION_STRING",
      "FLOWOPS_CONNECTION_AOAI",
      "AzureWebJobsStorage",
      "AZURE_CLIENT_SECRET",
    ]) {
      expect(isSecretVariableName(name), name).toBe(true);
    }
    for (const name of [
      "PATH",
      "HOME",
      "FLOWOPS_HOME",
      "TOKENIZERS_PARALLELISM",
      "KEY_VAULT_NAME",
      "AWS_ACCESS_KEY_ID",
    ]) {
      expect(isSecretVariableName(name), name).toBe(false);
    }
  });

  it("finds the secrets of settings: keys, connection-string parts, FLOWOPS_CONNECTION_* JSON", () => {
    const env = {
      PATH: "/usr/bin",
      MY_SERVICE_PASSWORD: "hunter2hunter2",
      STORAGE: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5;EndpointSuffix=x",
      FLOWOPS_CONNECTION_AOAI: JSON.stringify({
        type: "azure_open_ai",
        api_key: "k-json-secret-1",
        api_base: "b",
      }),
    };
    const values = environmentSecretValues(env);
    expect(values).toEqual(expect.arrayContaining(["hunter2hunter2", "c2VjcmV0a2V5", "k-json-secret-1"]));
    expect(values).not.toContain("/usr/bin");
    registerEnvironmentSecrets(env);
    expect(scrubSecrets("k-json-secret-1 hunter2hunter2")).toBe("*** ***");
    expect(Object.keys(withoutSecrets(env))).toEqual(["PATH"]);
  });
});
