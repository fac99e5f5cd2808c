// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
/**
 * Issue 10 item 2 (engine): image inputs are secure by default. Without ExecutorOptions.imageRoots (what
 * HTTP servers use) an image is a base64 data URL or a public http(s) URL; file paths are read only
 * inside the allowed folders (after `..` and symlinks); objects are never images; text never becomes an
 * image part; refusals are InputErrors (4xx) that do not tell whether a path exists.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlowExecutor } from "../../src/core/create-flow-executor.js";
import { InputError } from "../../src/core/errors.js";
import type { FlowDefinition } from "../../src/core/flow-definition.js";
import type { ChatRequest, ModelPort } from "../../src/core/model-port.js";

const PNG = Buffer.from("89504e470d0a1a0a", "hex");
let root: string;
let flowDir: string;
let secretFile: string;

function models() {
  const requests: ChatRequest[] = [];
  const port: ModelPort = {
    async invoke(request) {
      if (request.api === "chat") requests.push(request);
      return { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, text: "seen" };
    },
    stream() {
      throw new Error("not streamed");
    },
  };
  return { port, requests };
}

const definition = (): FlowDefinition => ({
  directory: flowDir,
  file: path.join(flowDir, "flow.dag.yaml"),
  inputs: {
    question: { type: "string", default: "What is it?" },
    image: { type: "image", default: "pixel.png" },
    meta: { type: "object", default: {} },
  },
  outputs: { answer: { reference: "${describe.output}" } },
  nodes: [
    {
      name: "describe",
      type: "custom_llm",
      source: {
        type: "package_with_prompt",
        tool: "promptflow.tools.openai_gpt4v.OpenAI.chat",
        path: "describe.jinja2",
      },
      inputs: {
        connection: "c",
        model: "gpt-4o",
        question: "${inputs.question}",
        image: "${inputs.image}",
        meta: "${inputs.meta}",
      },
    },
  ],
  node_variants: {},
  additional_includes: [],
  extra: {},
});

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "flowops-images-"));
  flowDir = path.join(root, "flow");
  await mkdir(path.join(flowDir, "data"), { recursive: true });
  await writeFile(
    path.join(flowDir, "describe.jinja2"),
    "# system:\nDescribe.\n# user:\n{{question}}\n![image]({{image}})\n{{meta}}\n",
  );
  await writeFile(path.join(flowDir, "pixel.png"), PNG);
  await writeFile(path.join(flowDir, "data", "cat.png"), PNG);
  secretFile = path.join(root, "aoai.json");
  await writeFile(secretFile, '{"api_key": "sk-secret-value"}');
  await symlink(secretFile, path.join(flowDir, "link.png"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function attempt(image: unknown, imageRoots?: string[]) {
  const m = models();
  const executor = await createFlowExecutor(definition(), {
    models: m.port,
    ...(imageRoots ? { imageRoots } : {}),
  });
  try {
    await executor.run({ image });
    return { requests: m.requests, error: undefined };
  } catch (error) {
    return { requests: m.requests, error: error as Error };
  }
}

const imagePart = (request: ChatRequest) =>
  (request.messages[1]!.content as { type: string; image_url?: { url: string } }[]).find(
    (p) => p.type === "image_url",
  );

describe("image inputs, secure by default", () => {
  const refusedEverywhere: [string, unknown][] = [
    ["a promptflow path object to /etc/passwd", { "data:image/png;path": "/etc/passwd" }],
    ["a relative path out of the flow", "../../etc/hostname"],
    ["an absolute path to a connection file", "SECRET"],
    ["a symlink inside the flow to a file outside", "link.png"],
    ["a path object climbing out", { "data:image/png;path": "data/../../aoai.json" }],
    ["a link-local metadata URL", "http://169.254.169.254/latest/meta-data/"],
    ["a metadata host", { "data:image/png;url": "http://metadata.google.internal/computeMetadata/v1/" }],
    ["a loopback URL", "http://127.0.0.1:8080/api/runs"],
    ["a decimal loopback URL", "http://2130706433/"],
    ["an IPv6 loopback URL", "http://[::1]/x.png"],
    ["an IPv4-mapped IPv6 loopback URL", "http://[::ffff:127.0.0.1]/x.png"],
    ["a private-network URL", "https://10.1.2.3/x.png"],
    ["localhost", "http://localhost:5000/x.png"],
    ["a file URL", "file:///etc/passwd"],
    ["an ftp URL", "ftp://example.com/x.png"],
    ["a data URL that is not base64", "data:image/png;utf8,<svg/>"],
    ["an object of another shape", { url: "https://example.com/x.png" }],
  ];
  for (const [label, image] of refusedEverywhere) {
    it(`refuses ${label}, even with the flow folder allowed`, async () => {
      for (const roots of [undefined, [flowDir]]) {
        const value = image === "SECRET" ? secretFile : image;
        const { requests, error } = await attempt(value, roots);
        expect(requests).toEqual([]);
        expect(error).toBeInstanceOf(InputError);
        expect(error!.message).toMatch(/the image .* cannot be used/);
        expect(error!.message).not.toContain("sk-secret-value");
      }
    });
  }

  it("reads file paths only when allowed, and only inside the allowed folders", async () => {
    const refused = await attempt("data/cat.png");
    expect(refused.error).toBeInstanceOf(InputError);
    const allowed = await attempt("data/cat.png", [flowDir]);
    expect(allowed.error).toBeUndefined();
    expect(imagePart(allowed.requests[0]!)?.image_url?.url).toBe(
      `data:image/png;base64,${PNG.toString("base64")}`,
    );
    const dataRoot = await attempt("cat.png", [flowDir, path.join(flowDir, "data")]);
    expect(imagePart(dataRoot.requests[0]!)?.image_url?.url).toMatch(/^data:image\/png;base64,/);
    // The flow author's own default (pixel.png) is read from the flow folder.
    const byDefault = await attempt("pixel.png");
    expect(byDefault.error).toBeUndefined();
  });

  it("says the same thing for a missing file and an existing one outside the folders", async () => {
    const missing = await attempt("../nothing-here.png", [flowDir]);
    const outside = await attempt("../aoai.json", [flowDir]);
    const strip = (e: Error | undefined) => e?.message.replace(/"[^"]*"/, '"X"');
    expect(strip(missing.error)).toBe(strip(outside.error));
    expect(missing.error!.message).not.toContain(root);
  });

  it("accepts base64 data URLs and public http(s) URLs", async () => {
    const data = await attempt(`data:image/png;base64,${PNG.toString("base64")}`);
    expect(imagePart(data.requests[0]!)?.image_url?.url).toBe(
      `data:image/png;base64,${PNG.toString("base64")}`,
    );
    const url = await attempt({ "data:image/png;url": "https://example.com/logo.png" });
    expect(imagePart(url.requests[0]!)?.image_url?.url).toBe("https://example.com/logo.png");
  });

  it("never treats an object input as an image, nor Markdown in a text input as an image part", async () => {
    const m = models();
    const executor = await createFlowExecutor(definition(), { models: m.port, imageRoots: [flowDir] });
    await executor.run({
      question: "look ![x](https://evil.example/track.png) ![y](data/cat.png)",
      image: "https://example.com/ok.png",
      meta: { "data:image/png;path": "pixel.png" },
    });
    const parts = m.requests[0]!.messages[1]!.content as { type: string; text?: string }[];
    expect(parts.filter((p) => p.type === "image_url")).toHaveLength(1);
    const text = parts.map((p) => p.text ?? "").join("\n");
    expect(text).toContain("![x](https://evil.example/track.png)");
    expect(text).toContain('{"data:image/png;path":"pixel.png"}');
    expect(text).not.toContain(PNG.toString("base64"));
  });
});
