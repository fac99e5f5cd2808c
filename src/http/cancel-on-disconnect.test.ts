import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.js";
import { startLocalHost } from "../host/local-host.js";
import { loadFlow } from "../load-flow.js";
import { createFlowServer } from "../serve/create-flow-server.js";

/**
 * An OpenAI-wire model that never answers: it records each call and when the caller (flowops)
 * closed it, which is what a cancelled model call looks like from the vendor's side.
 */
function hangingModel(): Promise<{ url: string; calls: { closed: boolean }[]; close(): Promise<void> }> {
  const calls: { closed: boolean }[] = [];
  const server: Server = createServer((request, response) => {
    const call = { closed: false };
    calls.push(call);
    request.resume();
    response.on("close", () => {
      call.closed = true;
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        calls,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    ),
  );
}

/** Posts, waits until the model has the call, then drops the connection as a leaving caller does. */
async function postAndLeave(url: string, body: unknown, calls: { closed: boolean }[], stream = false) {
  const before = calls.length;
  const aborter = new AbortController();
  const answer = fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(stream ? { accept: "text/event-stream" } : {}) },
    body: JSON.stringify(body),
    signal: aborter.signal,
  }).catch(() => undefined);
  while (calls.length === before) await new Promise((resolve) => setTimeout(resolve, 10));
  aborter.abort();
  await answer;
  const call = calls[before]!;
  const deadline = Date.now() + 5_000;
  while (!call.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return call;
}

describe("a caller that leaves cancels its flow and its model call", () => {
  let work: string;
  let model: Awaited<ReturnType<typeof hangingModel>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "flowops-cancel-"));
    model = await hangingModel();
    env = {
      FLOWOPS_HOME: path.join(work, "home"),
      FLOWOPS_LLM_MODE: "live",
      FLOWOPS_CONNECTION_LOCAL_OPENAI: JSON.stringify({
        type: "open_ai",
        api_key: "sk-local-test-key-123456",
        base_url: `${model.url}/v1`,
      }),
    };
    await mkdir(path.join(work, "flows"));
    await symlink(path.resolve("tests/fixtures/serve/llm"), path.join(work, "flows", "llm"));
  });
  afterAll(async () => {
    await model.close();
    await rm(work, { recursive: true, force: true });
  });

  it("on flow serve, for JSON and for streamed answers", async () => {
    const flow = await loadFlow(path.join(work, "flows", "llm"), { env, tracing: false });
    const server = createFlowServer({ flow, log: () => {} });
    const { url } = await server.listen(0);
    try {
      expect((await postAndLeave(`${url}/score`, { question: "q1" }, model.calls)).closed).toBe(true);
      expect((await postAndLeave(`${url}/score`, { question: "q2" }, model.calls, true)).closed).toBe(true);
    } finally {
      await server.close();
      await flow.close();
    }
  });

  it("on the local host's Functions routes: scoring and an A/B endpoint", async () => {
    // A registered version of the flow, deployed to the endpoint 'ab' (in-process CLI, local stores).
    const flowCopy = path.join(work, "llm-copy");
    await cp(path.resolve("tests/fixtures/serve/llm"), flowCopy, { recursive: true });
    const cli = async (...argv: string[]) => {
      let err = "";
      const code = await main(argv, {
        env: { ...env, FLOWOPS_STORE: "" },
        stdout: { write: () => true },
        stderr: { write: (text: string) => (err += text) },
      });
      if (code !== 0) throw new Error(`flowops ${argv.join(" ")}: ${err}`);
    };
    await cli("registry", "flow", "register", "--flow", flowCopy, "--name", "llm");
    await cli("deploy", "--endpoint", "ab", "--flow", "llm:1=100");

    const host = await startLocalHost({
      root: work,
      flowsDir: path.join(work, "flows"),
      port: 0,
      settings: { ...env, FLOWOPS_STORE: "" },
      stateDir: path.join(work, "durable"),
      log: () => {},
    });
    try {
      const call = await postAndLeave(`${host.url}/api/flows/llm`, { question: "q3" }, model.calls);
      expect(call.closed).toBe(true);
      const endpoint = await postAndLeave(`${host.url}/api/endpoints/ab`, { question: "q4" }, model.calls);
      expect(endpoint.closed).toBe(true);
    } finally {
      await host.stop();
    }
  });
});
