// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${env:...} is promptflow's syntax, not a template.
/**
 * A prompty's model configuration as promptflow reads it (fixtures written for this project in
 * promptflow's style): inline `azure_endpoint` and `api_key: ${env:VAR}` with no `connection`,
 * `${env:VAR}` in the deployment and in input defaults, and `response: all`. Models answer from
 * local servers speaking the Azure OpenAI and OpenAI wire protocols, through the real providers.
 */

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { startAzureOpenAIServer } from "../support/vendor-servers/azure-openai-server.js";
import { startOpenAIServer } from "../support/vendor-servers/openai-server.js";
import { defaultReplyText, type VendorServer } from "../support/vendor-servers/scripted-server.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat/prompty-inline");

describe("prompty model configuration", () => {
  let azure: VendorServer;
  let openai: VendorServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    [azure, openai] = await Promise.all([startAzureOpenAIServer(), startOpenAIServer()]);
    env = {
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-prompty-config-")),
      FLOWOPS_LLM_MODE: "live",
      AZURE_OPENAI_ENDPOINT: azure.url,
      AZURE_OPENAI_API_KEY: "azure-secret-key",
      AZURE_OPENAI_DEPLOYMENT: "my-gpt",
      PROMPTY_QUESTION: "What is flowops?",
      OPENAI_API_KEY: "sk-inline",
      OPENAI_BASE_URL: `${openai.url}/v1`,
    };
  });
  afterAll(async () => {
    await Promise.all([azure.close(), openai.close()]);
  });

  it("validates and runs with an inline azure_openai configuration and ${env:VAR} values, no connection needed", async () => {
    const validated = await runCli(["flow", "validate", "--source", path.join(fixtures, "inline.prompty")], {
      env,
    });
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const result = await runCli(["flow", "test", "--flow", path.join(fixtures, "inline.prompty")], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ output: defaultReplyText });
    const request = azure.requests.at(-1)!;
    expect(request.path).toBe("/openai/deployments/my-gpt/chat/completions");
    expect(request.headers["api-key"]).toBe("azure-secret-key");
    const messages = (request.body as { messages: { content: string }[] }).messages;
    expect(messages.at(-1)!.content).toBe("What is flowops?");
    expect(result.stdout + result.stderr).not.toContain("azure-secret-key");
  });

  it("says which variable is missing when the inline endpoint is not set", async () => {
    const result = await runCli(["flow", "test", "--flow", path.join(fixtures, "inline.prompty")], {
      env: { ...env, AZURE_OPENAI_ENDPOINT: undefined },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("AZURE_OPENAI_ENDPOINT");
  });

  it("response: all returns the whole answer (choices, usage, model)", async () => {
    const result = await runCli(["flow", "test", "--flow", path.join(fixtures, "response-all.prompty")], {
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout).output;
    expect(output.choices[0].message).toMatchObject({ role: "assistant", content: defaultReplyText });
    expect(output.choices[0].finish_reason).toBe("stop");
    expect(output.usage.total_tokens).toBeGreaterThan(0);
    expect(openai.requests.at(-1)!.headers.authorization).toBe("Bearer sk-inline");
  });
});
