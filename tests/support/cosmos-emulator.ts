import { Agent } from "node:https";
import type { AddressInfo } from "node:net";
import { CosmosClient } from "@azure/cosmos";
import { createHttpsServer } from "@vercel/cosmosdb-server";

/**
 * The Cosmos DB emulator's well-known master key (public, documented by Microsoft; not a secret).
 * `@vercel/cosmosdb-server` accepts any key; the SDK only needs a well-formed one to sign requests.
 */
export const COSMOS_EMULATOR_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

export interface CosmosEmulator {
  endpoint: string;
  key: string;
  /** A connection string in the emulator's form (AccountEndpoint=...;AccountKey=...;). */
  connectionString: string;
  /**
   * A new client for the emulator. TLS verification is off for this client only: the server's
   * certificate is the self-signed one bundled with `@vercel/cosmosdb-server` (CN=cosmosdb, no
   * subject alternative names, expired in 2021), which no trust store can accept.
   */
  createClient(): CosmosClient;
  stop(): Promise<void>;
}

/**
 * Starts `@vercel/cosmosdb-server` in this process over HTTPS on a free port of 127.0.0.1. It keeps
 * everything in memory and starts in milliseconds; the data lives until stop().
 */
export async function startCosmosEmulator(): Promise<CosmosEmulator> {
  // keepAlive: the server otherwise answers `connection: close`, and a TLS handshake per request
  // makes a 600-line test take 20 s instead of 2 s.
  const server = createHttpsServer({ keepAlive: true } as Parameters<typeof createHttpsServer>[0]);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `https://127.0.0.1:${port}/`;
  const agents: Agent[] = [];
  const clients: CosmosClient[] = [];
  return {
    endpoint,
    key: COSMOS_EMULATOR_KEY,
    connectionString: `AccountEndpoint=${endpoint};AccountKey=${COSMOS_EMULATOR_KEY};`,
    createClient: () => {
      const agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
      agents.push(agent);
      const client = new CosmosClient({
        endpoint,
        key: COSMOS_EMULATOR_KEY,
        agent,
        connectionPolicy: { enableEndpointDiscovery: false },
      });
      clients.push(client);
      return client;
    },
    stop: async () => {
      for (const client of clients) client.dispose();
      for (const agent of agents) agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
