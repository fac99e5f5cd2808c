import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(".");
const bin = path.join(root, "bin/flowops.js");
const fixture = (name: string) => path.join(root, "tests/fixtures/serve", name);

/** The installed command as users run it: `bin/flowops.js` on the compiled `dist/`. */
describe("the flowops bin (built)", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // tsc still emits when another module has type errors; what matters here is the CLI's output.
    spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "ignore" });
    expect(existsSync(path.join(root, "dist/src/cli/main.js"))).toBe(true);
    home = await mkdtemp(path.join(tmpdir(), "flowops-bin-"));
    env = { PATH: process.env.PATH, FLOWOPS_HOME: home };
  }, 240_000);
  afterAll(() => rm(home, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: root, env, encoding: "utf8" });

  it("runs flow test and prints one JSON object, exit 0", () => {
    const result = run(["flow", "test", "--flow", fixture("echo"), "--inputs", "text=bin", "times=2"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ answer: "BIN BIN", length: 7 });
  });

  it("exits 2 with every diagnostic for an invalid flow", () => {
    const result = run(["flow", "validate", "--source", fixture("invalid")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("has 3 problems");
  });

  it("serves with several workers on one port and stops on SIGINT", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [bin, "flow", "serve", "--source", fixture("echo"), "--port", "0", "--workers", "2"],
      { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`flow serve exited with ${code}`)));
      createInterface({ input: child.stderr! }).on("line", (line) => {
        const found = /at (http:\/\/\S+) with 2 workers/.exec(line);
        if (found) resolve(found[1]!);
      });
    });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${url}/score`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ text: `n${i}` }),
        }).then((r) => r.json()),
      ),
    );
    expect(answers).toEqual(
      Array.from({ length: 8 }, (_, i) => ({ answer: `N${i}`, length: `n${i}`.length })),
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
