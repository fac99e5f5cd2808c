import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnAzurite } from "../../src/host/start-azurite.js";

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteInstance {
  /** A full connection string (account, key and the three endpoints on their free ports). */
  connectionString: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** The temporary `--location` folder (removed by stop()). */
  location: string;
  stop(): Promise<void>;
}

/**
 * Starts Azurite (the same start-up as `flowops start`, src/host/start-azurite.ts) on free ports of
 * 127.0.0.1 with a temporary data folder. Call stop() in afterAll.
 */
export async function startAzurite(): Promise<AzuriteInstance> {
  const location = await mkdtemp(join(tmpdir(), "flowops-azurite-"));
  let azurite: Awaited<ReturnType<typeof spawnAzurite>>;
  try {
    azurite = await spawnAzurite(location, { blob: 0, queue: 0, table: 0 });
  } catch (error) {
    await rm(location, { recursive: true, force: true });
    throw error;
  }
  const blobEndpoint = `${azurite.endpoints.Blob}/${AZURITE_ACCOUNT}`;
  const queueEndpoint = `${azurite.endpoints.Queue}/${AZURITE_ACCOUNT}`;
  const tableEndpoint = `${azurite.endpoints.Table}/${AZURITE_ACCOUNT}`;
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    location,
    stop: async () => {
      await azurite.stop();
      await rm(location, { recursive: true, force: true });
    },
  };
}
