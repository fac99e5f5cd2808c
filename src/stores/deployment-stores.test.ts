import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CosmosEmulator, startCosmosEmulator } from "../../tests/support/cosmos-emulator.js";
import {
  CosmosDeploymentStore,
  CosmosRequestLogStore,
  ensureDeploymentContainers,
} from "./azure/cosmos-deployment-stores.js";
import {
  DeploymentConflictError,
  type DeploymentStore,
  type RequestLogStore,
  type RequestRecord,
} from "./deployment-store.js";
import { SqliteDeploymentStore, SqliteRequestLogStore } from "./local/sqlite-deployment-stores.js";

type Stores = { deployments: DeploymentStore; requests: RequestLogStore; cleanup(): Promise<void> };

const change = (weight: number) => ({
  endpoint: "ner",
  traffic: [
    { flow: "ner", version: 1, weight },
    { flow: "ner", version: 2, weight: 100 - weight },
  ],
  action: "deploy" as const,
  updated_on: "2024-05-01T10:00:00.000Z",
  updated_by: "alice",
});

const request = (id: string, timestamp: string): RequestRecord => ({
  endpoint: "ner",
  id,
  timestamp,
  flow: "ner",
  version: 1,
  status: "Completed",
  inputs: { text: "x" },
  outputs: { entities: [] },
  latency_ms: 3,
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

function describeDeploymentStores(label: string, open: () => Promise<Stores>): void {
  describe(`deployment stores: ${label}`, () => {
    it("appends revisions in order and refuses a change built on a stale revision", async () => {
      const stores = await open();
      expect(await stores.deployments.current("ner")).toBeUndefined();
      await stores.deployments.append(change(100), 0);
      const second = await stores.deployments.append(change(90), 1);
      expect(second.revision).toBe(2);
      await expect(stores.deployments.append(change(50), 1)).rejects.toBeInstanceOf(DeploymentConflictError);
      expect((await stores.deployments.current("ner"))?.traffic[0]?.weight).toBe(90);
      expect((await stores.deployments.history("ner")).map((r) => r.revision)).toEqual([1, 2]);
      expect(await stores.deployments.listEndpoints()).toEqual(["ner"]);
      await stores.cleanup();
    });

    it("lists logged requests by endpoint and time window, oldest first", async () => {
      const stores = await open();
      await stores.requests.append(request("b", "2024-05-02T00:00:00.000Z"));
      await stores.requests.append(request("a", "2024-05-01T00:00:00.000Z"));
      await stores.requests.append({ ...request("c", "2024-05-03T00:00:00.000Z"), endpoint: "chat" });
      expect((await stores.requests.list("ner")).map((r) => r.id)).toEqual(["a", "b"]);
      expect(
        (await stores.requests.list("ner", { since: "2024-05-01T12:00:00.000Z" })).map((r) => r.id),
      ).toEqual(["b"]);
      expect(await stores.requests.list("ner", { limit: 1 })).toEqual([
        request("a", "2024-05-01T00:00:00.000Z"),
      ]);
      await stores.cleanup();
    });
  });
}

describeDeploymentStores("SQLite", async () => {
  const home = mkdtempSync(join(tmpdir(), "flowops-deploy-"));
  const deployments = new SqliteDeploymentStore({ home });
  const requests = new SqliteRequestLogStore({ home });
  return {
    deployments,
    requests,
    cleanup: async () => {
      await deployments.close();
      await requests.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
});

let emulator: CosmosEmulator;
let databases = 0;
beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

describeDeploymentStores("Cosmos DB (emulator)", async () => {
  const client = emulator.createClient();
  const database = `flowops-${++databases}`;
  const containers = await ensureDeploymentContainers(client, database);
  return {
    deployments: new CosmosDeploymentStore(containers.deployments),
    requests: new CosmosRequestLogStore(containers.requests),
    cleanup: async () => {
      await client.database(database).delete();
      client.dispose();
    },
  };
});
