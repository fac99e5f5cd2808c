import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectDataFiles, collectFlowFiles } from "./collect-package-files.js";

const FLOW = `inputs:
  text: {type: string}
outputs:
  out: {reference: "\${echo.output}"}
nodes:
  - name: echo
    type: typescript
    source: {type: code, path: echo.ts}
    inputs: {text: "\${inputs.text}"}
`;

let work: string;
let flow: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "flowops-package-"));
  flow = path.join(work, "flow");
  await mkdir(path.join(flow, "lib"), { recursive: true });
  await writeFile(path.join(flow, "flow.dag.yaml"), FLOW);
  await writeFile(path.join(flow, "echo.ts"), "export default ({ text }: { text: string }) => text;\n");
  await writeFile(path.join(flow, "lib", "util.ts"), "export const x = 1;\n");
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function paths(files: Promise<{ path: string }[]>): Promise<string[]> {
  return (await files).map((file) => file.path).sort();
}

describe("packaging a flow folder", () => {
  it("leaves out .env files, .git, .flowops, local settings and connection files holding a key", async () => {
    await writeFile(path.join(flow, ".env"), "OPENAI_API_KEY=sk-live\n");
    await writeFile(path.join(flow, ".env.local"), "OPENAI_API_KEY=sk-live\n");
    await writeFile(path.join(flow, ".env.example"), "OPENAI_API_KEY=\n");
    await writeFile(path.join(flow, "local.settings.json"), '{"Values":{"KEY":"x"}}');
    await mkdir(path.join(flow, ".git"));
    await writeFile(path.join(flow, ".git", "config"), "[core]\n");
    await mkdir(path.join(flow, "lib", ".flowops", "durable"), { recursive: true });
    await writeFile(path.join(flow, "lib", ".flowops", "durable", "i.json"), "{}");
    await writeFile(
      path.join(flow, "azure_openai.yaml"),
      "$schema: https://azuremlschemas.azureedge.net/promptflow/latest/AzureOpenAIConnection.schema.json\nname: aoai\ntype: azure_open_ai\napi_key: abc\n",
    );
    await writeFile(
      path.join(flow, "conn.json"),
      JSON.stringify({ name: "c", type: "open_ai", api_key: "sk-x" }),
    );
    // A connection that names its key through the environment holds no secret: it is packaged.
    await writeFile(
      path.join(flow, "env-conn.yaml"),
      "name: c\ntype: open_ai\napi_key: ${env:OPENAI_API_KEY}\n",
    );
    await mkdir(path.join(flow, ".recordings"));
    await writeFile(path.join(flow, ".recordings", "answers.jsonl"), "{}\n");

    expect(await paths(collectFlowFiles(flow))).toEqual([
      ".recordings/answers.jsonl",
      "echo.ts",
      "env-conn.yaml",
      "flow.dag.yaml",
      "lib/util.ts",
    ]);
    expect(await paths(collectFlowFiles(flow, { include: [".env.example"], exclude: ["lib/"] }))).toEqual([
      ".env.example",
      ".recordings/answers.jsonl",
      "echo.ts",
      "env-conn.yaml",
      "flow.dag.yaml",
    ]);
  });

  it("follows symbolic links inside the folder and refuses one that points outside it", async () => {
    await symlink(path.join(flow, "lib"), path.join(flow, "lib-link"));
    await symlink(flow, path.join(flow, "lib", "loop")); // a link back up the tree is walked once
    expect(await paths(collectFlowFiles(flow))).toEqual([
      "echo.ts",
      "flow.dag.yaml",
      "lib-link/util.ts",
      "lib/util.ts",
    ]);

    await writeFile(path.join(work, "secret.txt"), "not yours\n");
    await symlink(path.join(work, "secret.txt"), path.join(flow, "lib", "secret.txt"));
    await expect(collectFlowFiles(flow)).rejects.toMatchObject({
      code: "PackageLinkOutside",
      message: expect.stringContaining(path.join(flow, "lib", "secret.txt")),
    });
    const data = path.join(work, "data");
    await mkdir(data);
    await symlink("/etc", path.join(data, "etc"));
    await expect(collectDataFiles(data)).rejects.toMatchObject({ code: "PackageLinkOutside" });
  });
});
