// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NER_LLM.variant_1} is promptflow's variant syntax
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv } from "../../../tests/support/run-cli.js";

const ner = path.resolve("flows/named-entity-recognition");
/** `registry flow register` of the NER example as flow `ner`. */
const REGISTER_NER = ["registry", "flow", "register", "--flow", ner, "--name", "ner"];

describe("flowops registry --variant, endpoint invoke and compare (offline, replay)", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), "flowops-endpoint-invoke-"));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));
  const { cli, json } = cliInEnv(() => ({ FLOWOPS_HOME: home, FLOWOPS_LLM_MODE: "replay" }));

  it("registers a variant as a second version, routes requests through the endpoint, and compares them", async () => {
    expect(await json(...REGISTER_NER)).toMatchObject({
      version: 1,
      created: true,
    });
    const v2 = await json(...REGISTER_NER, "--variant", "${NER_LLM.variant_1}");
    expect(v2).toMatchObject({ version: 2, created: true });
    expect((await json("registry", "flow", "show", "ner:2")).tags).toEqual({
      variant: "${NER_LLM.variant_1}",
    });
    const bad = await cli(...REGISTER_NER, "--variant", "${NER_LLM.variant_9}");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Its variants: ${NER_LLM.variant_0}, ${NER_LLM.variant_1}");

    const none = await cli("endpoint", "invoke", "--endpoint", "ner", "--inputs", "text=x");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("flowops deploy --endpoint ner");

    await json("deploy", "--endpoint", "ner", "--flow", "ner:1=50", "--flow", "ner:2=50");
    const one = await cli(
      "endpoint",
      "invoke",
      "--endpoint",
      "ner",
      "--user",
      "ada",
      "--inputs",
      "entity_type=person",
      "text=Ada Lovelace met Charles Babbage.",
    );
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({
      status: "Completed",
      outputs: { entities: ["Ada Lovelace", "Charles Babbage"] },
    });

    const data = path.join(ner, "data/ner-test.jsonl");
    const many = await cli("endpoint", "invoke", "--endpoint", "ner", "--data", data);
    expect(many.code, many.stderr).toBe(0);
    const answers = many.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(10);
    expect(many.stderr).toContain("10 requests sent to endpoint 'ner', 0 failed");

    const rows = await json("endpoint", "compare", "--endpoint", "ner", "--json");
    expect(rows.reduce((n: number, r: { requests: number }) => n + r.requests, 0)).toBe(11);
    const table = await cli("endpoint", "compare", "--endpoint", "ner");
    // Latencies to a tenth of a millisecond in the table.
    expect(table.stdout).toMatch(/latency_ms_mean\s+\d+\.\d(\s|$)/);
  });
});
