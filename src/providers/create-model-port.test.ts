// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:VAR}` is connection syntax, not a template.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOpenAIServer } from "../../tests/support/vendor-servers/openai-server.js";
import type { VendorServer } from "../../tests/support/vendor-servers/scripted-server.js";
import { createEnvConnectionStore } from "../connections/env-connection-store.js";
import type { ChatRequest, ModelStreamChunk } from "../core/model-port.js";
import { createModelPort } from "./create-model-port.js";
import { recordingKey } from "./record-replay.js";

let dir: string;
let server: VendorServer;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "flowops-recordings-"));
  server = await startOpenAIServer();
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const request = (content = "Who are you?"): ChatRequest => ({
  api: "chat",
  connection: "local",
  model: "gpt-4o-mini",
  node: "answer",
  messages: [{ role: "user", content }],
  parameters: { temperature: 0 },
});

const connections = () =>
  createEnvConnectionStore({
    FLOWOPS_CONNECTION_LOCAL: JSON.stringify({
      type: "open_ai",
      api_key: "${env:LOCAL_KEY}",
      base_url: `${server.url}/v1`,
    }),
    LOCAL_KEY: "sk-local-secret-value",
  });
const env = { LOCAL_KEY: "sk-local-secret-value" };

async function collect(stream: AsyncIterable<ModelStreamChunk>) {
  const chunks: ModelStreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe("createModelPort", () => {
  it("live: resolves the connection (with ${env:} values) and calls the vendor", async () => {
    const port = createModelPort({ connections: connections(), mode: "live", env });
    server.enqueue({ reply: { text: "I am a test." } });
    expect((await port.invoke(request())).text).toBe("I am a test.");
    expect(server.requests[0]!.headers["authorization"]).toBe("Bearer sk-local-secret-value");
    await expect(port.invoke({ ...request(), connection: "nope" })).rejects.toThrow(
      "Connection 'nope' used by node 'answer' does not exist",
    );
  });

  it("records one file per request without secrets or endpoint, then replays offline (plain and streamed)", async () => {
    const recorder = createModelPort({ connections: connections(), mode: "record", recordingsDir: dir, env });
    server.enqueue({ reply: { text: "Recorded answer, word by word." } });
    await recorder.invoke(request());
    const files = await readdir(dir);
    expect(files).toEqual([`${recordingKey(request())}.json`]);
    const text = await readFile(join(dir, files[0]!), "utf8");
    expect(text).not.toContain("sk-local-secret-value");
    expect(text).not.toContain(server.url);
    await server.close();

    // Replay needs neither the connection nor the server; another connection name replays the same file.
    const replayer = createModelPort({
      connections: createEnvConnectionStore({}),
      mode: "replay",
      recordingsDir: dir,
    });
    const replayed = await replayer.invoke({ ...request(), connection: "elsewhere" });
    expect(replayed.text).toBe("Recorded answer, word by word.");
    const chunks = await collect(replayer.stream(request()));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.text ?? "").join("")).toBe("Recorded answer, word by word.");
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(21);
  });

  it("records a stream as it passes through", async () => {
    const recorder = createModelPort({ connections: connections(), mode: "record", recordingsDir: dir, env });
    const live = await collect(recorder.stream(request("stream me")));
    const replayer = createModelPort({
      connections: createEnvConnectionStore({}),
      mode: "replay",
      recordingsDir: dir,
    });
    const replayed = await replayer.invoke(request("stream me"));
    expect(replayed.text).toBe(live.map((c) => c.text ?? "").join(""));
    expect(replayed.usage.total_tokens).toBe(21);
  });

  it("a replay miss names the node and how to record; the mode defaults to FLOWOPS_LLM_MODE", async () => {
    const port = createModelPort({
      connections: createEnvConnectionStore({}),
      env: { FLOWOPS_LLM_MODE: "replay", FLOWOPS_RECORDINGS_DIR: dir },
    });
    await expect(port.invoke(request("never recorded"))).rejects.toThrow(
      /No recording for node 'answer' \(chat, model 'gpt-4o-mini', key [0-9a-f]{32}\) in [\s\S]*FLOWOPS_LLM_MODE=record flowops flow test/,
    );
    expect(() =>
      createModelPort({ connections: createEnvConnectionStore({}), env: { FLOWOPS_LLM_MODE: "tape" } }),
    ).toThrow(/FLOWOPS_LLM_MODE='tape' is not a mode: use live, record, replay or mock/);
  });

  it("keys recordings by the canonical request: parameter order does not matter, values do", () => {
    const a = { ...request(), parameters: { temperature: 0, max_tokens: 5 } };
    const b = {
      ...request(),
      parameters: { max_tokens: 5, temperature: 0 },
      connection: "other",
      node: "n2",
    };
    expect(recordingKey(a)).toBe(recordingKey(b));
    expect(recordingKey({ ...a, parameters: { temperature: 1, max_tokens: 5 } })).not.toBe(recordingKey(a));
    expect(recordingKey({ ...a, model: "gpt-4o" })).not.toBe(recordingKey(a));
  });
});
