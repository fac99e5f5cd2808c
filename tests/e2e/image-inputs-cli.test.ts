/**
 * The CLI's local runs allow image file paths inside the flow folder (`flow test`) and the data file's
 * folder (`run create`), and nowhere else (ExecutorOptions.imageRoots; servers allow none).
 */
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

const fixture = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat/vision-chat");

describe("image file paths in local CLI runs", () => {
  let root: string;
  let flow: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-image-cli-"));
    flow = path.join(root, "flow");
    await cp(fixture, flow, { recursive: true });
    await mkdir(path.join(root, "data"));
    await cp(path.join(fixture, "pixel.png"), path.join(root, "data", "cat.png"));
    await writeFile(path.join(root, "secret.png"), "api_key=sk-secret-in-a-file");
    await writeFile(
      path.join(root, "data", "lines.jsonl"),
      '{"image": "cat.png"}\n{"image": "../secret.png"}\n',
    );
    env = {
      FLOWOPS_HOME: path.join(root, "home"),
      FLOWOPS_LLM_MODE: "mock",
      PATH: process.env["PATH"] ?? "",
    };
  });

  it("flow test reads an image inside the flow folder and refuses one outside it", async () => {
    const inside = await runCli(["flow", "test", "--flow", flow, "--inputs", "image=pixel.png"], { env });
    expect(inside.code, inside.stderr).toBe(0);
    const outside = await runCli(["flow", "test", "--flow", flow, "--inputs", "image=../secret.png"], {
      env,
    });
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/the image "..\/secret.png" cannot be used/);
    expect(outside.stderr + outside.stdout).not.toContain("sk-secret-in-a-file");
  });

  it("run create reads images relative to the data file's folder, only inside it", async () => {
    const run = await runCli(
      [
        "run",
        "create",
        "--flow",
        flow,
        "--data",
        path.join(root, "data", "lines.jsonl"),
        "--name",
        "img",
        "--stream",
      ],
      { env },
    );
    const output = run.stdout + run.stderr;
    expect(output).not.toContain("sk-secret-in-a-file");
    const shown = await runCli(["run", "show-details", "--name", "img"], { env });
    const details = shown.stdout + shown.stderr;
    expect(details).toMatch(/^0\s+Completed\s.*cat\.png/m);
    expect(details).toMatch(/^1\s+Failed\s.*\.\.\/secret\.png\s+InvalidImage/m);
  });
});
