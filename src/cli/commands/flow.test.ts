import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../tests/support/run-cli.js";

const fixtures = path.resolve("tests/fixtures/serve");
const flowDir = (name: string) => path.join(fixtures, name);

describe("flowops flow", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), "flowops-cli-flow-"));
    env = { FLOWOPS_HOME: home };
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  describe("validate", () => {
    it("says a valid flow is valid, with its node count, and exits 0", async () => {
      const result = await runCli(["flow", "validate", "--source", flowDir("stream")], { env });
      expect(result).toMatchObject({ code: 0, stdout: "✓ flow.dag.yaml is valid (2 nodes)\n" });
    });

    it("prints every problem with file:line:col, node and fix, without a stack, and exits 2", async () => {
      const result = await runCli(["flow", "validate", "--source", flowDir("invalid")], { env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      const lines = result.stderr.trim().split("\n");
      expect(lines[0]).toBe("✗ flow.dag.yaml has 3 problems:");
      expect(result.stderr).toMatch(/invalid\/flow\.dag\.yaml:6:5: .*unknown node 'missing_node'/);
      expect(result.stderr).toMatch(
        /flow\.dag\.yaml:12:7: node 'shout' field 'source\.path': .*does-not-exist\.ts/,
      );
      expect(result.stderr).toMatch(
        /flow\.dag\.yaml:14:7: node 'shout' field 'inputs\.text': .*Did you mean 'text'\?/,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it("checks connections against the store, including FLOWOPS_CONNECTION_* variables", async () => {
      const missing = await runCli(["flow", "validate", "--source", flowDir("llm")], { env });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("local_openai");

      const connection = JSON.stringify({
        type: "open_ai",
        api_key: "sk-x",
        base_url: "http://127.0.0.1:9/v1",
      });
      const present = await runCli(["flow", "validate", "--source", flowDir("llm")], {
        env: { ...env, FLOWOPS_CONNECTION_LOCAL_OPENAI: connection },
      });
      expect(present).toMatchObject({ code: 0, stdout: "✓ flow.dag.yaml is valid (1 node)\n" });
    });
  });

  describe("test", () => {
    it("prints the outputs as one JSON object on stdout, with --inputs coerced to the declared types", async () => {
      const result = await runCli(
        ["flow", "test", "--flow", flowDir("echo"), "--inputs", "text=hi there", "times=2"],
        {
          env,
        },
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ answer: "HI THERE HI THERE", length: 17 });
    });

    it("joins a streaming node's output into one string", async () => {
      const result = await runCli(
        ["flow", "test", "--flow", flowDir("stream"), "--inputs", 'words=["a","b","c"]'],
        {
          env,
        },
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ count: 3, answer: "a b c" });
    });

    it("names every missing required input and exits 2", async () => {
      const result = await runCli(["flow", "test", "--flow", flowDir("echo")], { env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("missing required flow input 'text'");
      expect(result.stderr).toContain("--inputs");
    });

    it("rejects an input of the wrong type naming it, with exit 2", async () => {
      const result = await runCli(
        ["flow", "test", "--flow", flowDir("echo"), "--inputs", "text=a", "times=lots"],
        {
          env,
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("'times'");
    });

    it("rejects an --inputs value that is not key=value with exit 2", async () => {
      const result = await runCli(["flow", "test", "--flow", flowDir("echo"), "--inputs", "hello"], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("key=value");
    });

    it("runs a single node with --node", async () => {
      const result = await runCli(
        ["flow", "test", "--flow", flowDir("echo"), "--node", "shout", "--inputs", "text=ab", "times=3"],
        { env },
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ text: "AB AB AB", length: 8 });
    });

    it("reports a failing node by name, exit 1, no stack and no secret unless --verbose", async () => {
      const result = await runCli(
        ["flow", "test", "--flow", flowDir("failing"), "--inputs", "question=why"],
        { env },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("explode");
      expect(result.stderr).toContain("upstream refused 'why'");
      expect(result.stderr).not.toContain("SECRET0123456789");
      expect(result.stderr).not.toMatch(/\n\s+at /);

      const verbose = await runCli(
        ["flow", "test", "--flow", flowDir("failing"), "--inputs", "question=why", "--verbose"],
        { env },
      );
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toMatch(/\n\s+at /);
      expect(verbose.stderr).not.toContain("SECRET0123456789");
    });

    it("runs python nodes through flowops' python workers (and stops them)", async () => {
      const result = await runCli(
        ["flow", "test", "--flow", flowDir("python"), "--inputs", "text=from python"],
        {
          env,
        },
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ out: "from python" });
    });

    it("chats with --interactive, keeping promptflow's chat_history and streaming each answer", async () => {
      const result = await runCli(["flow", "test", "--flow", flowDir("chat"), "--interactive"], {
        env,
        stdin: ["hello\n", "\n", "again\n"],
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        "turn 1: you said hello after nothing\nturn 2: you said again after hello\n",
      );
      expect(result.stderr).toContain("User: ");
    });

    it("--interactive: a failed turn prints its error, stays out of the history, and the chat goes on (exit 1)", async () => {
      const result = await runCli(["flow", "test", "--flow", flowDir("chat"), "--interactive"], {
        env,
        stdin: ["hello\n", "boom\n", "again\n"],
      });
      expect(result.stdout).toBe(
        "turn 1: you said hello after nothing\nturn 2: you said again after hello\n",
      );
      expect(result.stderr).toContain("the chat node broke on 'boom'");
      expect(result.stderr).toContain("1 of 3 turns failed");
      expect(result.code).toBe(1);
    });

    it("rejects --inputs the flow does not declare, with did-you-mean (exit 2)", async () => {
      const result = await runCli(["flow", "test", "--flow", flowDir("chat"), "--inputs", "questin=hi"], {
        env,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("the flow has no input 'questin'. Did you mean 'question'?");
    });

    it("refuses --interactive for a flow without a chat input (exit 2)", async () => {
      const result = await runCli(["flow", "test", "--flow", flowDir("echo"), "--interactive"], {
        env,
        stdin: ["x\n"],
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("is_chat_input");
    });
  });

  describe("serve", () => {
    it("serves until stopped and answers /health and /score", async () => {
      const stop = new AbortController();
      let ready!: (url: string) => void;
      const listening = new Promise<string>((resolve) => {
        ready = resolve;
      });
      const running = runCli(["flow", "serve", "--source", flowDir("echo"), "--port", "0"], {
        env,
        signal: stop.signal,
        onReady: ({ url }) => ready(url),
      });
      const url = await listening;
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      const score = await fetch(`${url}/score`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: "ok" }),
      });
      expect(await score.json()).toEqual({ answer: "OK", length: 2 });
      stop.abort();
      const result = await running;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`at ${url}`);
    });

    it("rejects a port that is not a number with exit 2", async () => {
      const result = await runCli(["flow", "serve", "--source", flowDir("echo"), "--port", "eighty"], {
        env,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--port");
    });
  });
});
