import { afterAll, beforeAll } from "vitest";
import { type AzuriteInstance, startAzurite } from "../../../tests/support/azurite.js";
import { type CosmosEmulator, startCosmosEmulator } from "../../../tests/support/cosmos-emulator.js";
import { describeRegistryStoreContract } from "../../../tests/support/registry-store-contract.js";
import { registryBlobSettings } from "../store-settings.js";
import { openAzureBlobStore } from "./blob-store.js";
import { CosmosRegistryStore, ensureRegistryContainer } from "./cosmos-registry-store.js";

let emulator: CosmosEmulator;
let azurite: AzuriteInstance;
let containers = 0;

beforeAll(async () => {
  [emulator, azurite] = await Promise.all([startCosmosEmulator(), startAzurite()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([emulator?.stop(), azurite?.stop()]);
});

describeRegistryStoreContract("Cosmos DB + Blob Storage (emulators)", async () => {
  const id = ++containers;
  const setup = emulator.createClient();
  await ensureRegistryContainer(setup, "flowops", `registry-${id}`);
  const settings = registryBlobSettings({
    AzureWebJobsStorage: azurite.connectionString,
    FLOWOPS_REGISTRY_CONTAINER: `registry-${id}`,
  });
  await openAzureBlobStore(settings).ensureContainer();
  return {
    open: async () => {
      const client = emulator.createClient();
      const container = client.database("flowops").container(`registry-${id}`);
      return { store: new CosmosRegistryStore({ container, client }), blobs: openAzureBlobStore(settings) };
    },
    cleanup: async () => {
      await setup.database("flowops").container(`registry-${id}`).delete();
      setup.dispose();
    },
  };
});
