/**
 * Every command README.md shows works as written, offline, on a copy of the repository.
 *
 * The README's ```sh and ```ts blocks are turned into one bash script (rule and details in
 * readme-blocks.ts: everything runs except the set-up commands npm ci/install/start/test) and run in a
 * temporary copy of the checkout (its files as git sees them, the installed node_modules linked in, the
 * built dist/ copied), with a temporary FLOWOPS_HOME and none of the caller's FLOWOPS_* settings: only
 * the README's own `export`s apply. Where the system allows it (`unshare -rn`) the script runs in its
 * own network namespace with only a loopback interface: nothing can reach the network, and the README's
 * fixed port (8080) cannot clash with anything else on the machine. The interactive chat reads the
 * questions of flows/chat/data/questions.jsonl on stdin, as the README tells the user to type them.
 *
 * It fails naming the README block, line and command that failed, with the end of the output. After
 * the run, `git status` in the copy must be clean: whatever the tour writes goes to ignored folders.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeCommands, readmeScript } from "./readme-blocks.js";

const root = path.resolve(import.meta.dirname, "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");

describe("README.md blocks", () => {
  it("are read command by command, continuation lines joined, set-up commands marked skipped", () => {
    const commands = readmeCommands(
      [
        "```sh",
        "npm start   # serves",
        "            # more comment",
        "export A=1  # kept",
        "run=$(echo a \\",
        "  b)",
        "```",
        "```ts",
        'console.log("x");',
        "```",
      ].join("\n"),
    );
    expect(commands.map((c) => [c.block, c.line, c.text, Boolean(c.skipped)])).toEqual([
      [1, 2, "npm start   # serves", true],
      [1, 4, "export A=1  # kept", false],
      [1, 5, "run=$(echo a \\\n  b)", false],
      [2, 9, "npx tsx .flowops/tour/readme-block-2.mts", false],
    ]);
  });

  it("become a script that stops at the first failing command, naming its block and line", () => {
    const script = readmeScript(readmeCommands("```sh\ntrue\nfalse   # this one\ntrue\n```\n"));
    const result = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    expect(result.status).toBe(97);
    expect(result.stderr).toContain("FAILED README.md block 1, line 3: exit 1: false   # this one");
  });
});

describe("README.md commands, run verbatim on a copy of the repository", () => {
  let copy: string;
  let home: string;
  beforeAll(() => {
    const work = mkdtempSync(path.join(tmpdir(), "flowops-readme-"));
    copy = path.join(work, "repo");
    home = path.join(work, "home");
    mkdirSync(home);
    copyCheckout(root, copy);
  });
  afterAll(() => rmSync(path.dirname(copy), { recursive: true, force: true }));

  it("every command exits 0, and the tour leaves no files outside ignored folders", {
    timeout: 900_000,
  }, async () => {
    const commands = readmeCommands(readme);
    expect(commands.filter((c) => !c.skipped).length).toBeGreaterThan(10);
    for (const command of commands) {
      if (!command.file) continue;
      mkdirSync(path.dirname(path.join(copy, command.file.path)), { recursive: true });
      writeFileSync(path.join(copy, command.file.path), command.file.content);
    }
    const scriptFile = path.join(path.dirname(copy), "readme.sh");
    writeFileSync(scriptFile, readmeScript(commands));
    const questions = readFileSync(path.join(root, "flows/chat/data/questions.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => (JSON.parse(line) as { question: string }).question);

    const result = await runScript(scriptFile, copy, home, `${questions.join("\n")}\n`);
    const failed = /FAILED (README\.md block \d+, line \d+: exit \d+: [^\n]*)/.exec(result.output)?.[1];
    expect(
      result.code,
      `${failed ?? `the README script exited ${result.code}`}\n--- end of its output ---\n${result.output.slice(-6000)}`,
    ).toBe(0);
    // The chat replayed every recorded turn (a failed turn would have made the command exit 1).
    expect(result.output).toContain("LLMOps is the practice");

    const status = spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], {
      cwd: copy,
      encoding: "utf8",
    });
    expect(status.stdout, "files the README commands left in the working tree (not git-ignored)").toBe("");
  });
});

/** The checkout's files as git sees them (tracked and new, not ignored), node_modules linked, dist copied. */
function copyCheckout(from: string, to: string): void {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: from,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${from}: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(path.join(from, file))) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    cpSync(path.join(from, file), path.join(to, file), { verbatimSymlinks: true });
  }
  if (!existsSync(path.join(from, "dist/src/cli/main.js"))) {
    throw new Error("dist/ is not built: run `npm run build` (npm test does it) before this test");
  }
  cpSync(path.join(from, "dist"), path.join(to, "dist"), { recursive: true });
  // node_modules: the checkout's, linked. (`npx flowops` runs the copy itself: npm links the project
  // into its npx cache, which this test points at a temporary folder, see runScript.)
  symlinkSync(path.join(from, "node_modules"), path.join(to, "node_modules"));
  const git = (...args: string[]) => {
    const done = spawnSync(
      "git",
      ["-c", "user.name=readme", "-c", "user.email=readme@test", "-c", "commit.gpgsign=false", ...args],
      { cwd: to, encoding: "utf8" },
    );
    if (done.status !== 0) throw new Error(`git ${args.join(" ")}: ${done.stderr}`);
  };
  git("init", "-q");
  // The node_modules link is a file to git, which `node_modules/` (a folder pattern) does not ignore.
  writeFileSync(path.join(to, ".git", "info", "exclude"), "/node_modules\n");
  git("add", "-A");
  git("commit", "-q", "-m", "copy");
}

/** Whether `unshare -rn` gives this process a private network namespace with a working loopback. */
function canIsolateNetwork(): boolean {
  const probe = spawnSync("unshare", ["-rn", "sh", "-c", "ip link set lo up"], { encoding: "utf8" });
  return probe.status === 0;
}

function runScript(
  script: string,
  cwd: string,
  home: string,
  stdin: string,
): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      key.startsWith("FLOWOPS_") ||
      key.startsWith("OTEL_") ||
      key.startsWith("npm_") ||
      key === "NODE_OPTIONS"
    )
      continue;
    if (key === "VITEST" || key.startsWith("VITEST_") || key === "TEST" || key === "NODE_ENV") continue;
    env[key] = value;
  }
  env["FLOWOPS_HOME"] = home;
  // npx installs the project into its cache (~/.npm/_npx/<hash of the path>) to run its own bin: keep
  // that cache in the test's folder, not the user's, since every copy has a new path.
  env["npm_config_cache"] = path.join(path.dirname(cwd), "npm-cache");
  env["npm_config_update_notifier"] = "false";
  env["npm_config_fund"] = "false";
  const isolated = canIsolateNetwork();
  const [command, args] = isolated
    ? ["unshare", ["-rn", "bash", "-c", 'ip link set lo up && exec bash "$0"', script]]
    : ["bash", [script]];
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, args as string[], {
      cwd,
      env,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = isolated ? "" : "(no private network namespace here: ran on the host network)\n";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdin.end(stdin);
    child.on("error", reject);
    let code: number | null = null;
    child.on("exit", (exitCode) => {
      code = exitCode;
      // Anything the README left running in the background (it would hold the pipes open).
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // the group is gone already
      }
    });
    child.on("close", () => resolve({ code, output }));
  });
}
