import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { seededRandom } from "../../src/deploy/choose-version.js";
import { compareEndpoint } from "../../src/deploy/compare-endpoint.js";
import { evaluateProductionWith } from "../../src/deploy/evaluate-production.js";
import { createFlowVersionCache } from "../../src/deploy/flow-version-cache.js";
import { handleEndpointRequest, VERSION_HEADER } from "../../src/deploy/handle-endpoint-request.js";
import { openDeploymentStores } from "../../src/deploy/open-deployment-stores.js";
import { resolveDataReference } from "../../src/deploy/resolve-data-reference.js";
import { loadFlowExecutor } from "../../src/load-flow.js";
import { openRegistry } from "../../src/registry/open-registry.js";
import { runBatch } from "../../src/runs/run-batch.js";
import { openSqliteRunStore } from "../../src/stores/local/sqlite-run-store.js";

const root = path.resolve(import.meta.dirname, "../..");
const NER = path.join(root, "flows/named-entity-recognition");
const PARTIAL_MATCH = path.join(root, "flows/evaluators/partial-match");

let work: string;
let env: NodeJS.ProcessEnv;

/** Runs `flowops ...` in-process; returns stdout (JSON lines are parsed by the caller). */
async function flowops(...argv: string[]): Promise<string> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    env,
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  if (code !== 0) throw new Error(`flowops ${argv.join(" ")} exited ${code}: ${err}`);
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "flowops-ab-"));
  env = {
    ...process.env,
    FLOWOPS_HOME: path.join(work, "home"),
    FLOWOPS_LLM_MODE: "replay",
    FLOWOPS_USER: "release-bot",
    FLOWOPS_STORE: "",
  };
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("A/B lifecycle, locally (registry → deploy 90/10 → traffic → evaluation → promote → rollback)", () => {
  it("runs end to end through the CLI and the endpoint handler", { timeout: 120_000 }, async () => {
    // 1. Two versions of the NER flow: the second after a prompt change (on a temp copy).
    const flow = path.join(work, "ner");
    await cp(NER, flow, { recursive: true });
    const v1 = JSON.parse(await flowops("registry", "flow", "register", "--flow", flow, "--name", "ner"));
    expect(v1).toMatchObject({ name: "ner", version: 1, created: true });
    expect(
      JSON.parse(await flowops("registry", "flow", "register", "--flow", flow, "--name", "ner")),
    ).toEqual({
      ...v1,
      created: false,
    });
    await cp(path.join(flow, "NER_LLM_variant_1.jinja2"), path.join(flow, "NER_LLM_variant_0.jinja2"));
    const v2 = JSON.parse(await flowops("registry", "flow", "register", "--flow", flow, "--name", "ner"));
    expect(v2).toMatchObject({ version: 2, created: true });
    await flowops("registry", "flow", "label", "ner:1", "production");
    await flowops("registry", "flow", "label", "ner:2", "candidate");

    // 2. Data, by content hash.
    const testData = path.join(NER, "data/ner-test.jsonl");
    const data = JSON.parse(
      await flowops("registry", "data", "register", "--name", "ner-test", "--file", testData),
    );
    expect(data).toMatchObject({ name: "ner-test", version: 1, created: true });
    expect(
      JSON.parse(await flowops("registry", "data", "register", "--name", "ner-test", "--file", testData)),
    ).toMatchObject({ version: 1, created: false });

    // 3. Deploy 90/10.
    await flowops("deploy", "--endpoint", "ner", "--flow", "ner:1=90", "--flow", "ner:candidate=10");

    // 4. Traffic through the handler with real Requests: anonymous (split) and keyed (sticky).
    const registry = await openRegistry(env);
    const stores = await openDeploymentStores(env);
    const flows = createFlowVersionCache({
      registry: registry.registry,
      cacheDir: path.join(work, "cache"),
      env,
    });
    const random = seededRandom(2024);
    const deps = { deployments: stores.deployments, requests: stores.requests, flows, random };
    const rows = (await readFile(testData, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const send = (body: Record<string, unknown>, user?: string) =>
      handleEndpointRequest(
        new Request("http://localhost/api/endpoints/ner", {
          method: "POST",
          headers: { "content-type": "application/json", ...(user ? { "x-flowops-user": user } : {}) },
          body: JSON.stringify(body),
        }),
        deps,
      );
    const served = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const row = rows[i % rows.length];
      const response = await send({ text: row.text, entity_type: row.entity_type, results: row.results });
      expect(response.status).toBe(200);
      expect(Array.isArray(((await response.json()) as { entities: unknown }).entities)).toBe(true);
      const version = response.headers.get(VERSION_HEADER) as string;
      served.set(version, (served.get(version) ?? 0) + 1);
    }
    expect([...served.keys()].sort()).toEqual(["ner:1", "ner:2"]);
    expect((served.get("ner:2") ?? 0) / 400).toBeGreaterThan(0.05);
    expect((served.get("ner:2") ?? 0) / 400).toBeLessThan(0.15);
    for (const user of ["alice", "bob", "carol", "dave", "erin"]) {
      const versions = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const response = await send(
          { text: rows[i % rows.length].text, entity_type: rows[i % rows.length].entity_type },
          user,
        );
        versions.add(response.headers.get(VERSION_HEADER) as string);
      }
      expect(versions.size).toBe(1);
    }
    const logged = await stores.requests.list("ner");
    expect(logged).toHaveLength(430);
    expect(
      logged.filter((r) => r.user).every((r) => r.user !== "alice" && /^[0-9a-f]{16}$/.test(r.user ?? "")),
    ).toBe(true);
    expect(logged[0]).toMatchObject({ status: "Completed", usage: { total_tokens: expect.any(Number) } });
    expect(logged[0]?.usage.total_tokens).toBeGreaterThan(0);

    // 5. Evaluate the logged production traffic per version (and as `--data prod:ner`).
    const runs = openSqliteRunStore({ home: env["FLOWOPS_HOME"] as string });
    const comparison = await compareEndpoint({
      requests: stores.requests,
      endpoint: "ner",
      evaluate: evaluateProductionWith({
        store: runs,
        evaluator: PARTIAL_MATCH,
        executor: (dir) => loadFlowExecutor(dir, { env, tracing: false }),
        endpoint: "ner",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: column-mapping syntax
        columnMapping: { groundtruth: "${data.inputs.results}", prediction: "${data.outputs.entities}" },
        workDir: path.join(work, "compare"),
      }),
    });
    expect(comparison.map((c) => c.version)).toEqual(["ner:1", "ner:2"]);
    for (const row of comparison) {
      expect(row.metrics?.["exact_match_rate"]).toBeTypeOf("number");
      expect((await runs.getRun(row.run as string))?.tags).toMatchObject({
        endpoint: "ner",
        flow_version: row.version,
      });
    }
    const table = await flowops("endpoint", "compare", "--endpoint", "ner");
    expect(table).toMatch(/ner:1\s+ner:2/);

    // Lineage: a run over registered data and over production traffic records both versions.
    const registered = await resolveDataReference("ner-test:1", { env, registry: registry.registry });
    expect(registered).toMatchObject({ kind: "registry", version: "ner-test:1" });
    const lineageRun = await runBatch({
      store: runs,
      executor: (dir) => loadFlowExecutor(dir, { env, tracing: false }),
      flow: flow,
      data: registered.path,
      name: "ner-on-registered-data",
      flowVersion: "ner:2",
      dataVersion: registered.version as string,
    });
    expect(lineageRun).toMatchObject({
      status: "Completed",
      flow_version: "ner:2",
      data_version: "ner-test:1",
    });
    const production = await resolveDataReference("prod:ner:1d", { env, requests: stores.requests });
    expect(production.kind).toBe("production");
    const firstRow = JSON.parse((await readFile(production.path, "utf8")).split("\n")[0] as string);
    expect(firstRow).toMatchObject({
      inputs: { text: expect.any(String) },
      outputs: { entities: expect.any(Array) },
    });
    expect(firstRow.version).toMatch(/^ner:[12]$/);

    // 6. Promote: all traffic to the candidate, which becomes production.
    await flowops("deploy", "promote", "--endpoint", "ner");
    for (let i = 0; i < 20; i++) {
      expect(
        (await send({ text: rows[0].text, entity_type: rows[0].entity_type })).headers.get(VERSION_HEADER),
      ).toBe("ner:2");
    }
    expect(JSON.parse(await flowops("registry", "flow", "show", "ner:production")).version).toBe(2);

    // 7. Roll back: the 90/10 split again, recorded with who/when.
    await flowops("deploy", "rollback", "--endpoint", "ner");
    const after = new Set<string>();
    for (let i = 0; i < 60; i++) {
      after.add(
        (await send({ text: rows[0].text, entity_type: rows[0].entity_type })).headers.get(
          VERSION_HEADER,
        ) as string,
      );
    }
    expect([...after].sort()).toEqual(["ner:1", "ner:2"]);
    const shown = JSON.parse(await flowops("deploy", "show", "--endpoint", "ner"));
    expect(shown.history.map((h: { action: string }) => h.action)).toEqual(["deploy", "promote", "rollback"]);
    expect(shown.current).toMatchObject({ restored_revision: 1, updated_by: "release-bot" });

    await runs.close();
    await stores.close();
    await registry.close();
  });
});
