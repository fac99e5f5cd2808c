// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createFlowExecutor } from "../create-flow-executor.js";
import type { FlowDefinition } from "../flow-definition.js";
import { resolveImageInput } from "../image-input.js";
import type { ModelPort } from "../model-port.js";
import { distributionOfTool, packageToolKind } from "./known-package-tools.js";
import { ImageTokens } from "./split-image-parts.js";

describe("package tools", () => {
  it("knows which promptflow tools flowops provides and which distribution provides the others", () => {
    expect(packageToolKind("promptflow.tools.embedding.embedding")).toBe("embedding");
    expect(packageToolKind("promptflow.tools.aoai_gpt4v.AzureOpenAI.chat")).toBe("vision-chat");
    expect(packageToolKind("promptflow.tools.serpapi.SerpAPI.search")).toBe("serpapi");
    expect(packageToolKind("my_tools.tools.search.Search.run")).toBeUndefined();
    expect(distributionOfTool("promptflow_vectordb.tool.vector_db_lookup.VectorDBLookup.search")).toBe(
      "promptflow-vectordb",
    );
    expect(distributionOfTool("my_tools.tools.search.Search.run")).toBe("my-tools");
  });

  it("resolves images given as data URLs, URLs, promptflow image objects, and paths only inside the allowed folders", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-image-"));
    await writeFile(path.join(dir, "a.jpg"), Buffer.from([1, 2, 3]));
    expect(await resolveImageInput("data:image/png;base64,AAA=", [], "n")).toBe("data:image/png;base64,AAA=");
    expect(await resolveImageInput("https://x.test/a.png", [], "n")).toBe("https://x.test/a.png");
    expect(await resolveImageInput({ "data:image/png;base64": "AAA" }, [], "n")).toBe(
      "data:image/png;base64,AAA",
    );
    expect(await resolveImageInput({ "data:image/png;url": "https://x.test/b" }, [], "n")).toBe(
      "https://x.test/b",
    );
    expect(await resolveImageInput("a.jpg", [dir], "n")).toBe("data:image/jpeg;base64,AQID");
    expect(await resolveImageInput({ "data:image/png;path": "a.jpg" }, [dir], "n")).toBe(
      "data:image/png;base64,AQID",
    );
    await expect(resolveImageInput("a.jpg", [], "vision")).rejects.toThrow(
      /Node 'vision': the image "a.jpg" cannot be used/,
    );
  });

  it("makes image_url parts only of registered image tokens, never of other Markdown images", () => {
    const images = new ImageTokens();
    const a = images.register("https://x/a.png");
    const b = images.register("data:image/png;base64,B");
    expect(
      images.splitImageParts([
        { role: "system", content: `![not](${a})` },
        { role: "user", content: `Compare ![a](${a}) and ![b](${b}) please ![typed](https://evil/x.png)` },
      ]),
    ).toEqual([
      { role: "system", content: `![not](${a})` },
      {
        role: "user",
        content: [
          { type: "text", text: "Compare" },
          { type: "image_url", image_url: { url: "https://x/a.png" } },
          { type: "text", text: "and" },
          { type: "image_url", image_url: { url: "data:image/png;base64,B" } },
          { type: "text", text: "please ![typed](https://evil/x.png)" },
        ],
      },
    ]);
  });

  it("runs the embedding tool through the model port and the llm tool as an llm node", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flowops-tools-"));
    await writeFile(path.join(dir, "p.jinja2"), "user:\n{{q}}");
    const requests: unknown[] = [];
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    const models: ModelPort = {
      async invoke(request) {
        requests.push(request);
        return request.api === "embedding" ? { embedding: [1, 2], usage } : { text: "answer", usage };
      },
      stream: () => {
        throw new Error("no streaming");
      },
    };
    const definition: FlowDefinition = {
      directory: dir,
      file: path.join(dir, "flow.dag.yaml"),
      inputs: { q: { type: "string" } },
      outputs: { vector: { reference: "${emb.output}" }, text: { reference: "${chat.output}" } },
      nodes: [
        {
          name: "emb",
          type: "python",
          source: { type: "package", tool: "promptflow.tools.embedding.embedding" },
          inputs: { connection: "aoai", deployment_name: "ada", input: "${inputs.q}" },
        },
        {
          name: "chat",
          type: "python",
          source: {
            type: "package_with_prompt",
            tool: "promptflow.tools.aoai.AzureOpenAI.chat",
            path: "p.jinja2",
          },
          inputs: { connection: "aoai", deployment_name: "gpt", q: "${inputs.q}" },
        },
      ],
      node_variants: {},
      additional_includes: [],
      extra: {},
    };
    const executor = await createFlowExecutor(definition, { models });
    expect((await executor.run({ q: "hello" })).outputs).toEqual({ vector: [1, 2], text: "answer" });
    expect(requests).toContainEqual(
      expect.objectContaining({ api: "embedding", connection: "aoai", model: "ada", input: "hello" }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({
        api: "chat",
        connection: "aoai",
        provider: "AzureOpenAI",
        model: "gpt",
        messages: [{ role: "user", content: "hello" }],
      }),
    );
  });
});
