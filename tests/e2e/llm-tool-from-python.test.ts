/**
 * Python code calling promptflow's llm tool functions (`promptflow.tools.aoai.chat`,
 * `promptflow.tools.openai.completion`), as promptflow's multi-turn evaluation example does
 * (docs/promptflow-sweep/dag-g-z.md): they run through the engine against the vendor wire servers.
 */

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv } from "../support/run-cli.js";
import { startAzureOpenAIServer } from "../support/vendor-servers/azure-openai-server.js";
import { openAIConnectionVariable, startOpenAIServer } from "../support/vendor-servers/openai-server.js";
import type { VendorServer } from "../support/vendor-servers/scripted-server.js";

const flow = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat/llm-tool-from-python");

describe("promptflow.tools.aoai / promptflow.tools.openai called from a python tool", () => {
  let env: NodeJS.ProcessEnv;
  let openai: VendorServer;
  let azure: VendorServer;
  const { cli } = cliInEnv(() => env);

  beforeAll(async () => {
    openai = await startOpenAIServer();
    azure = await startAzureOpenAIServer();
    env = {
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-llm-tool-python-")),
      FLOWOPS_LLM_MODE: "live",
      FLOWOPS_CONNECTION_AZURE_OPEN_AI_CONNECTION: JSON.stringify({
        type: "azure_open_ai",
        api_key: "azure-key",
        api_base: azure.url,
        api_version: "2024-02-01",
      }),
      ...openAIConnectionVariable(openai),
    };
  });

  afterAll(async () => {
    await openai.close();
    await azure.close();
  });

  it("renders the prompt with the call's keyword arguments, sends the parameters given, returns the answers", async () => {
    azure.enqueue({ reply: { text: "5" } }, { reply: { text: "2" } });
    openai.enqueue({ reply: { text: "  mostly grounded \n" } });

    const result = await cli("flow", "test", "--flow", flow);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ score: 3.5, verdict: "mostly grounded" });

    expect(azure.requests.map((r) => r.path)).toEqual([
      "/openai/deployments/gpt-4-judge/chat/completions",
      "/openai/deployments/gpt-4-judge/chat/completions",
    ]);
    const first = azure.requests[0]!.body as { messages: unknown; temperature?: number };
    expect(first.temperature).toBe(0);
    expect(first.messages).toEqual([
      { role: "system", content: "You rate whether a claim follows from its source, from 1 to 5." },
      {
        role: "user",
        content:
          '{"SOURCE": The tent is rated 3000 mm waterproof., "CLAIM": The tent keeps rain out.}\nAnswer with one integer.',
      },
    ]);
    expect(azure.requests[0]!.headers["api-key"]).toBe("azure-key");

    const completion = openai.requests[0]!;
    expect(completion.path).toBe("/v1/completions");
    expect(completion.body).toMatchObject({
      model: "gpt-3.5-turbo-instruct",
      prompt: "Score 3.5 out of 5 means:",
      max_tokens: 16,
    });
  });

  it("a model error inside the call fails the node with the engine's message", async () => {
    azure.enqueue({ status: 404, message: "The API deployment for this resource does not exist." });
    const result = await cli("flow", "test", "--flow", flow);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Node 'judge' failed");
    expect(result.stderr).toContain("does not exist");
    expect(result.stderr).not.toContain("azure-key");
  });
});
