/**
 * Constructs found by running promptflow's own DAG test flows (names a–f) under `flowops flow test`,
 * each reproduced by a flow written for this project in promptflow's style
 * (tests/fixtures/promptflow-compat) and checked against what promptflow produces:
 * - an input reading a bypassed node is left out where the tool's parameter has a default
 *   (promptflow's DAGManager.get_node_valid_inputs), and is None where it has none;
 * - `flow test` without the chat history input (no default) runs with an empty history;
 * - a generator's chunks are joined as `"".join(str(chunk) ...)` when the run does not stream;
 * - flow-level `environment_variables:` reach python tools (JSON for lists and mappings, connection
 *   references resolved), and a run's `--environment-variables` win over them;
 * - NaN and infinities from python tools do not break the worker protocol (JSON output shows null);
 * - an image given as a URL and returned by python nodes keeps its URL (it is not fetched);
 * - independent python nodes of one line run side by side in `flow test`, as in promptflow.
 */

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliInEnv } from "../support/run-cli.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/promptflow-compat");
const flow = (name: string) => path.join(fixtures, name);

describe("promptflow's test flows, a–f: constructs that differed", () => {
  let env: NodeJS.ProcessEnv;
  const { cli, json } = cliInEnv(() => env);

  beforeAll(async () => {
    env = {
      FLOWOPS_HOME: await mkdtemp(path.join(tmpdir(), "flowops-pf-sweep-a-")),
      FLOWOPS_CONNECTION_SEARCH_SETTINGS: JSON.stringify({
        type: "custom",
        configs: { source_name: "web" },
        secrets: { token: "t0k" },
      }),
    };
  });

  it("a bypassed node's value: the tool's default where it has one, None where it has none", async () => {
    expect(await json("flow", "test", "--flow", flow("bypassed-default"))).toEqual({
      summary: "short: no detail",
      nothing: "detail is None",
    });
    expect(await json("flow", "test", "--flow", flow("bypassed-default"), "--inputs", "mode=long")).toEqual({
      summary: "long: LONG",
      nothing: null,
    });
  });

  it("flow test without the chat history runs with an empty history, unless it is marked not to be one", async () => {
    expect(await json("flow", "test", "--flow", flow("chat-history-omitted"))).toEqual({
      answer: "0 earlier turns, now: What is Prompt flow?",
    });
    const turn = '[{"inputs": {"question": "Hi"}, "outputs": {"answer": "Hello"}}]';
    expect(
      await json("flow", "test", "--flow", flow("chat-history-omitted"), "--inputs", `chat_history=${turn}`),
    ).toEqual({ answer: "1 earlier turns, now: What is Prompt flow?" });

    // Marked `is_chat_history: false`, chat_history is an ordinary input: leaving it out is an error.
    const unmarked = flow("chat-history-omitted/history-unmarked.dag.yaml");
    const missing = await cli("flow", "test", "--flow", unmarked);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required flow input 'chat_history'");
  });

  it("a generator yielding non-strings is joined with python's str() of each chunk", async () => {
    expect(await json("flow", "test", "--flow", flow("stream-non-string"))).toEqual({
      echo: "length 5, upper False, nothing None, ratio 1.0",
    });
  });

  it("flow-level environment_variables reach python tools; a run's --environment-variables win", async () => {
    const read = async (name: string) =>
      (await json("flow", "test", "--flow", flow("flow-environment-variables"), "--inputs", `name=${name}`))
        .value;
    expect(await read("RETRIES")).toBe("3");
    expect(await read("REGION")).toBe("westeurope");
    expect(await read("TAGS")).toBe('["alpha", "beta"]');
    expect(await read("LIMITS")).toBe('{"rpm": 60, "tier": "free"}');
    // From the connection: a secret and a config value.
    expect(await read("SEARCH_TOKEN")).toBe("t0k");
    expect(await read("SEARCH_SOURCE")).toBe("web");

    const created = await cli(
      ...["run", "create", "--flow", flow("flow-environment-variables"), "--name", "env-vars"],
      ...["--data", path.join(flow("flow-environment-variables"), "data.jsonl")],
      ...["--environment-variables", "REGION=northeurope", "EXTRA=added"],
    );
    expect(created.code, created.stderr).toBe(0);
    const details = await json("run", "show-details", "--name", "env-vars", "--format", "json");
    expect(details.map((line: { outputs: { value: unknown } }) => line.outputs.value)).toEqual([
      "3",
      "northeurope",
      '["alpha", "beta"]',
      '{"rpm": 60, "tier": "free"}',
      "added",
    ]);

    const missing = await cli(
      "flow",
      "test",
      "--flow",
      flow("flow-environment-variables/missing-connection"),
    );
    // Resolved when the node runs (a run's --environment-variables may give API_BASE instead): the line fails.
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "environment variable 'API_BASE' reads connection 'no_such_connection', which does not exist",
    );
  });

  it("NaN and infinities from python tools and metrics: the line completes, JSON shows null", async () => {
    expect(await json("flow", "test", "--flow", flow("non-finite-floats"))).toEqual({
      stats: { samples: 0, mean: null, ratio: null, floor: null },
    });
    const created = await cli(
      ...["run", "create", "--flow", flow("non-finite-floats"), "--name", "non-finite"],
      ...["--data", path.join(flow("non-finite-floats"), "data.jsonl")],
    );
    expect(created.code, created.stderr).toBe(0);
    expect(await json("run", "show-metrics", "--name", "non-finite")).toEqual({ lines: 2, worst: null });
  });

  it("an image URL returned by python nodes comes out as the URL, not an empty image", async () => {
    expect(await json("flow", "test", "--flow", flow("image-url-pass-through"))).toEqual({
      chosen: { "data:image/png;url": "https://example.com/images/cat.png" },
    });
  });

  it("independent python nodes of one line run side by side in flow test", async () => {
    expect(await json("flow", "test", "--flow", flow("parallel-python-nodes"))).toEqual({ overlapped: true });
  });
});
