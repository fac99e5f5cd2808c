// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv } from "../../../tests/support/run-cli.js";
import { writeFolder } from "../../../tests/support/test-flows.js";
import { packageInfo } from "../../core/package-info.js";

/** flow.dag.yaml of a flow with one code node NAME of TYPE (in FILE) turning input `text` into output `out`. */
function oneNodeFlow(name: string, type: "python" | "typescript", file: string): string {
  return `inputs:
  text:
    type: string
    default: hi
outputs:
  out:
    type: string
    reference: \${${name}.output}
nodes:
  - name: ${name}
    type: ${type}
    source:
      type: code
      path: ${file}
    inputs:
      text: \${inputs.text}
`;
}

/** A flow with a python node and its requirements (promptflow's layout). */
const PY_FLOW = {
  "flow.dag.yaml": `${oneNodeFlow("echo", "python", "echo.py")}environment:
  python_requirements_txt: requirements.txt
`,
  "echo.py": "from promptflow.core import tool\n\n@tool\ndef echo(text: str) -> str:\n    return text * 2\n",
  "requirements.txt": "promptflow>=1.10\npython-dateutil==2.9.0  # dates\n",
};

/** A TypeScript-only flow. */
const TS_FLOW = {
  "flow.dag.yaml": oneNodeFlow("shout", "typescript", "shout.ts"),
  "shout.ts": "export default ({ text }: { text: string }) => text.toUpperCase();\n",
};

const exec = promisify(execFile);

describe("flowops build", () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const { cli, json } = cliInEnv(() => env);
  const read = (...parts: string[]) => readFile(path.join(root, ...parts), "utf8");

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-cli-build-"));
    env = { FLOWOPS_HOME: path.join(root, "home") };
    await writeFolder(path.join(root, "flows", "python-echo"), PY_FLOW);
    await writeFolder(path.join(root, "flows", "group", "shout"), TS_FLOW);
    await mkdir(path.join(root, "flows", "python-echo", "__pycache__"));
    await writeFile(path.join(root, "flows", "python-echo", "__pycache__", "echo.pyc"), "x");
    await writeFolder(path.join(root, "ts-only", "shout"), TS_FLOW);
    await writeFile(path.join(root, "flows", "python-echo", ".env"), "OPENAI_API_KEY=sk-local-only\n");
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("writes the Functions app's container context: Functions Node image, Python, every flow's requirements, the app", async () => {
    const summary = await json(
      "build",
      "--output",
      path.join(root, "fn"),
      "--flows",
      path.join(root, "flows"),
    );
    expect(summary.needsPython).toBe(true);
    expect(summary.flows).toEqual([
      { name: "group/shout", python: false, requirements: null },
      { name: "python-echo", python: true, requirements: "python-echo/requirements.txt" },
    ]);
    const dockerfile = (await read("fn", "Dockerfile")).split("\n");
    expect(dockerfile).toContain("FROM mcr.microsoft.com/azure-functions/node:4-node20");
    expect(dockerfile).toContain(
      "    && apt-get install -y --no-install-recommends python3 python3-venv python3-pip \\",
    );
    expect(dockerfile).toContain("    FLOWOPS_PYTHON=/usr/bin/python3");
    expect(dockerfile).toContain("COPY requirements/ /tmp/flowops-requirements/");
    expect(dockerfile).toContain(
      "RUN /usr/bin/python3 -m pip install --no-cache-dir --break-system-packages -r /tmp/flowops-requirements/python-echo.txt \\",
    );
    expect(dockerfile).toContain("COPY app/ /home/site/wwwroot/");
    expect(dockerfile.indexOf("COPY app/ /home/site/wwwroot/")).toBeGreaterThan(
      dockerfile.indexOf("COPY requirements/ /tmp/flowops-requirements/"),
    );
    // promptflow itself is left out, as in flowops's run-time environments (its worker provides it).
    expect(await read("fn", "requirements", "python-echo.txt")).toBe(
      "# left out (flowops provides them): promptflow>=1.10\npython-dateutil==2.9.0\n",
    );
    expect(existsSync(path.join(root, "fn", "app", "host.json"))).toBe(true);
    // The python worker runs from src/ (it is not compiled): it ships, its TypeScript does not.
    const runtime = path.join(root, "fn", "app", "src", "runtimes", "python");
    expect(existsSync(path.join(runtime, "worker", "flowops_worker.py"))).toBe(true);
    expect(existsSync(path.join(runtime, "python-worker.ts"))).toBe(false);
    const manifest = JSON.parse(await read("fn", "app", "package.json"));
    expect(manifest.main).toBe("dist/bundle/functions.mjs");
    expect(existsSync(path.join(root, "fn", "app", manifest.main))).toBe(true);
    expect(await read("fn", "app", "flows", "python-echo", "echo.py")).toBe(PY_FLOW["echo.py"]);
    expect(existsSync(path.join(root, "fn", "app", "flows", "python-echo", "__pycache__"))).toBe(false);
    expect(existsSync(path.join(root, "fn", "app", "node_modules"))).toBe(false);
    // Local secrets never enter an image.
    expect(existsSync(path.join(root, "fn", "app", "flows", "python-echo", ".env"))).toBe(false);
  });

  it("says when no flow needs Python (the Flex Consumption default stays)", async () => {
    const result = await cli(
      "build",
      "--output",
      path.join(root, "fn-ts"),
      "--flows",
      path.join(root, "ts-only"),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).needsPython).toBe(false);
    expect(result.stderr).toContain("no flow has python nodes");
    expect(await read("fn-ts", "Dockerfile")).not.toContain("pip install");
  });

  it("writes one flow's image context that runs flow serve on $PORT, with the flow's requirements", async () => {
    const out = path.join(root, "one");
    const summary = await json(
      "build",
      "--source",
      path.join(root, "flows", "python-echo"),
      "--format",
      "docker",
      "--output",
      out,
    );
    expect(summary).toMatchObject({ flow: "python-echo", python: true });
    const dockerfile = (await read("one", "Dockerfile")).split("\n");
    expect(dockerfile).toContain("FROM node:20-bookworm-slim");
    expect(dockerfile).toContain(
      "RUN /usr/bin/python3 -m pip install --no-cache-dir --break-system-packages -r /tmp/flowops-requirements/flow.txt \\",
    );
    expect(dockerfile.at(-2)).toBe(
      'CMD ["sh", "-c", "exec node /opt/flowops/bin/flowops.js flow serve --source /flow --host 0.0.0.0 --port \\"${PORT:-8080}\\""]',
    );
    expect(dockerfile).toContain("ENV PORT=8080 FLOWOPS_HOME=/tmp/flowops");
    expect(await read("one", "flow", "flow.dag.yaml")).toBe(PY_FLOW["flow.dag.yaml"]);
  });

  it("copies an app that runs the copied python flow from the context's own files", async () => {
    // A python flow without requirements: running one with requirements would pip-install them (offline here).
    const { "requirements.txt": _requirements, ...plain } = PY_FLOW;
    const flow = await writeFolder(path.join(root, "python-plain"), {
      ...plain,
      "flow.dag.yaml": oneNodeFlow("echo", "python", "echo.py"),
    });
    const out = path.join(root, "plain-image");
    await json("build", "--source", flow, "--format", "docker", "--output", out);
    expect(await read("plain-image", "Dockerfile")).not.toContain("pip install");
    // What `npm ci` would add in the image, linked here: the copied app must run the copied flow.
    await symlink(
      path.join(packageInfo().root, "node_modules"),
      path.join(out, "flowops", "node_modules"),
      "dir",
    );
    const { stdout } = await exec(
      process.execPath,
      [path.join(out, "flowops", "bin", "flowops.js"), "flow", "test", "--flow", path.join(out, "flow")],
      { env: { ...process.env, FLOWOPS_HOME: path.join(root, "home") } },
    );
    expect(JSON.parse(stdout)).toEqual({ out: "hihi" });
  });

  it("leaves Python out of a TypeScript flow's image, and refuses non-empty outputs and mixed options", async () => {
    await json(
      "build",
      "--source",
      path.join(root, "ts-only", "shout"),
      "--format",
      "docker",
      "--output",
      path.join(root, "ts-image"),
    );
    const dockerfile = await read("ts-image", "Dockerfile");
    expect(dockerfile).not.toContain("python3");
    expect(dockerfile).not.toContain("FLOWOPS_PYTHON");

    const again = await cli("build", "--output", path.join(root, "fn"), "--flows", path.join(root, "flows"));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is not empty");
    const formatOnly = await cli("build", "--output", path.join(root, "x"), "--format", "docker");
    expect(formatOnly.code).toBe(2);
    expect(formatOnly.stderr).toContain("add --source");
  });
});
