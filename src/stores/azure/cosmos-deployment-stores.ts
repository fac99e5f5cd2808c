import type { Container, CosmosClient, ItemDefinition, SqlParameter } from "@azure/cosmos";
import {
  DeploymentConflictError,
  type DeploymentRecord,
  type DeploymentStore,
  type RequestLogStore,
  type RequestRecord,
} from "../deployment-store.js";
import { DEFAULT_COSMOS_DATABASE } from "./cosmos-run-store.js";
import { statusOf } from "./cosmos-status.js";
import { createCosmosClient, type Settings } from "./credentials.js";

type RevisionDocument = ItemDefinition & DeploymentRecord & { id: string };
type RequestDocument = ItemDefinition & RequestRecord;

/**
 * Deployment revisions in the Cosmos `deployments` container (`/endpoint`): one document per
 * revision, id `rev-<n>`. Appending creates `rev-<expected + 1>`; a 409 means another change took
 * that revision first (the create is the compare-and-swap).
 */
export class CosmosDeploymentStore implements DeploymentStore {
  constructor(
    readonly container: Container,
    private readonly client?: CosmosClient,
  ) {}

  async current(endpoint: string): Promise<DeploymentRecord | undefined> {
    const [latest] = await this.query(
      endpoint,
      "SELECT TOP 1 * FROM c WHERE c.endpoint = @endpoint ORDER BY c.revision DESC",
    );
    return latest;
  }

  async history(endpoint: string): Promise<DeploymentRecord[]> {
    return this.query(endpoint, "SELECT * FROM c WHERE c.endpoint = @endpoint ORDER BY c.revision");
  }

  async append(
    record: Omit<DeploymentRecord, "revision">,
    expectedRevision: number,
  ): Promise<DeploymentRecord> {
    const latest = (await this.current(record.endpoint))?.revision ?? 0;
    if (latest !== expectedRevision)
      throw new DeploymentConflictError(record.endpoint, expectedRevision, latest);
    const stored: DeploymentRecord = { ...record, revision: latest + 1 };
    try {
      await this.container.items.create<RevisionDocument>({ ...stored, id: `rev-${stored.revision}` });
    } catch (error) {
      if (statusOf(error) === 409) {
        const now = (await this.current(record.endpoint))?.revision ?? latest + 1;
        throw new DeploymentConflictError(record.endpoint, expectedRevision, now);
      }
      throw error;
    }
    return stored;
  }

  async listEndpoints(): Promise<string[]> {
    const { resources } = await this.container.items
      .query<string>("SELECT VALUE c.endpoint FROM c WHERE c.revision = 1")
      .fetchAll();
    // One first revision per endpoint (no DISTINCT: the local emulator cannot parse it).
    return [...new Set(resources)].sort();
  }

  async close(): Promise<void> {
    this.client?.dispose();
  }

  private async query(endpoint: string, query: string): Promise<DeploymentRecord[]> {
    const parameters: SqlParameter[] = [{ name: "@endpoint", value: endpoint }];
    const { resources } = await this.container.items
      .query<RevisionDocument>({ query, parameters }, { partitionKey: endpoint })
      .fetchAll();
    return resources.map(stripRevision);
  }
}

/** The production request log in the Cosmos `requests` container (`/endpoint`, TTL from infra). */
export class CosmosRequestLogStore implements RequestLogStore {
  constructor(
    readonly container: Container,
    private readonly client?: CosmosClient,
  ) {}

  async append(record: RequestRecord): Promise<void> {
    await this.container.items.upsert<RequestDocument>({ ...record });
  }

  async list(
    endpoint: string,
    options: { since?: string; until?: string; limit?: number } = {},
  ): Promise<RequestRecord[]> {
    const parameters: SqlParameter[] = [{ name: "@endpoint", value: endpoint }];
    let where = "c.endpoint = @endpoint";
    if (options.since) {
      where += " AND c.timestamp >= @since";
      parameters.push({ name: "@since", value: options.since });
    }
    if (options.until) {
      where += " AND c.timestamp < @until";
      parameters.push({ name: "@until", value: options.until });
    }
    const top = options.limit !== undefined ? "TOP @limit " : "";
    if (options.limit !== undefined) parameters.push({ name: "@limit", value: options.limit });
    const { resources } = await this.container.items
      .query<RequestDocument>(
        { query: `SELECT ${top}* FROM c WHERE ${where} ORDER BY c.timestamp`, parameters },
        { partitionKey: endpoint },
      )
      .fetchAll();
    return resources.map(stripRequest);
  }

  async close(): Promise<void> {
    this.client?.dispose();
  }
}

/** Creates the database and the `deployments` and `requests` containers when missing (emulators). */
export async function ensureDeploymentContainers(
  client: CosmosClient,
  databaseId = DEFAULT_COSMOS_DATABASE,
  names: { deployments?: string; requests?: string } = {},
): Promise<{ deployments: Container; requests: Container }> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const create = async (id: string) =>
    (await database.containers.createIfNotExists({ id, partitionKey: { paths: ["/endpoint"] } })).container;
  return {
    deployments: await create(names.deployments ?? "deployments"),
    requests: await create(names.requests ?? "requests"),
  };
}

/** Both Cosmos stores from settings (`COSMOS_ENDPOINT`, `COSMOS_DATABASE`); the first owns the client. */
export function openCosmosDeploymentStores(settings: Settings = process.env): {
  deployments: CosmosDeploymentStore;
  requests: CosmosRequestLogStore;
} {
  const client = createCosmosClient(settings);
  const database = client.database(settings["COSMOS_DATABASE"] || DEFAULT_COSMOS_DATABASE);
  return {
    deployments: new CosmosDeploymentStore(database.container("deployments"), client),
    requests: new CosmosRequestLogStore(database.container("requests")),
  };
}

function stripRevision(document: RevisionDocument): DeploymentRecord {
  const {
    id: _id,
    _rid,
    _self,
    _etag,
    _ts,
    _attachments,
    ...record
  } = document as RevisionDocument & Record<string, unknown>;
  return record as DeploymentRecord;
}

function stripRequest(document: RequestDocument): RequestRecord {
  const {
    _rid,
    _self,
    _etag,
    _ts,
    _attachments,
    ttl: _ttl,
    ...record
  } = document as RequestDocument & Record<string, unknown>;
  return record as unknown as RequestRecord;
}
