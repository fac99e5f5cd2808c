import type { Container, CosmosClient, ItemDefinition, SqlParameter } from "@azure/cosmos";
import {
  type AssetKind,
  type AssetLabel,
  AssetNotFoundError,
  type AssetVersion,
  type NewAssetVersion,
  type RegistryStore,
} from "../registry-store.js";
import { DEFAULT_COSMOS_DATABASE } from "./cosmos-run-store.js";
import { statusOf } from "./cosmos-status.js";
import { createCosmosClient, type Settings } from "./credentials.js";

export const DEFAULT_REGISTRY_CONTAINER = "registry";

/**
 * Documents of one name's partition (`/name`), for both kinds:
 * - `<kind>:v:<version>`: the version record;
 * - `<kind>:h:<hash>`: claims a content hash for one version (its create is the atomic "register once");
 * - `<kind>:l:<label>`: where a label points.
 */
type RegistryDocument = ItemDefinition & {
  id: string;
  name: string;
  kind: AssetKind;
  type: "version" | "hash" | "label";
  version: number;
  record?: AssetVersion | AssetLabel;
};

const ALLOCATE_ATTEMPTS = 20;

export interface CosmosRegistryStoreOptions {
  /** The container (partition key `/name`). */
  container: Container;
  /** A client the store owns: disposed by close(). */
  client?: CosmosClient;
}

/**
 * The registry store on Cosmos DB. Registering: return the version that claimed the hash, if any;
 * else create the next version document (a 409 means another writer took that number: try the next),
 * then claim the hash. When another writer claimed the same hash in between, our version document is
 * deleted and theirs returned, so one content never gets two versions.
 */
export class CosmosRegistryStore implements RegistryStore {
  readonly container: Container;
  private readonly client: CosmosClient | undefined;

  constructor(options: CosmosRegistryStoreOptions) {
    this.container = options.container;
    this.client = options.client;
  }

  async registerVersion(entry: NewAssetVersion): Promise<{ version: AssetVersion; created: boolean }> {
    const existing = await this.findByHash(entry.kind, entry.name, entry.hash);
    if (existing) return { version: existing, created: false };
    let next = ((await this.latestVersion(entry.kind, entry.name)) ?? 0) + 1;
    for (let attempt = 1; ; attempt++, next++) {
      const version: AssetVersion = { ...entry, version: next };
      try {
        await this.container.items.create<RegistryDocument>({
          id: `${entry.kind}:v:${next}`,
          name: entry.name,
          kind: entry.kind,
          type: "version",
          version: next,
          record: version,
        });
      } catch (error) {
        if (statusOf(error) === 409 && attempt < ALLOCATE_ATTEMPTS) continue;
        throw error;
      }
      try {
        await this.container.items.create<RegistryDocument>({
          id: hashId(entry.kind, entry.hash),
          name: entry.name,
          kind: entry.kind,
          type: "hash",
          version: next,
        });
        return { version, created: true };
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
        await this.container.item(`${entry.kind}:v:${next}`, entry.name).delete();
        const winner = await this.findByHash(entry.kind, entry.name, entry.hash);
        if (winner) return { version: winner, created: false };
        throw error;
      }
    }
  }

  async getVersion(kind: AssetKind, name: string, version: number): Promise<AssetVersion | undefined> {
    const document = await this.read(`${kind}:v:${version}`, name);
    return document?.record as AssetVersion | undefined;
  }

  async findByHash(kind: AssetKind, name: string, hash: string): Promise<AssetVersion | undefined> {
    const claim = await this.read(hashId(kind, hash), name);
    return claim ? this.getVersion(kind, name, claim.version) : undefined;
  }

  async listVersions(kind: AssetKind, name?: string): Promise<AssetVersion[]> {
    const parameters: SqlParameter[] = [{ name: "@kind", value: kind }];
    let where = "c.type = 'version' AND c.kind = @kind";
    if (name !== undefined) {
      where += " AND c.name = @name";
      parameters.push({ name: "@name", value: name });
    }
    const { resources } = await this.container.items
      .query<RegistryDocument>(
        { query: `SELECT * FROM c WHERE ${where}`, parameters },
        name === undefined ? {} : { partitionKey: name },
      )
      .fetchAll();
    return resources
      .map((document) => document.record as AssetVersion)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version));
  }

  async setLabel(
    kind: AssetKind,
    name: string,
    label: string,
    version: number,
    by: string,
  ): Promise<AssetLabel> {
    if (!(await this.getVersion(kind, name, version)))
      throw new AssetNotFoundError(kind, `${name}:${version}`);
    const record: AssetLabel = { label, version, updated_on: new Date().toISOString(), updated_by: by };
    await this.container.items.upsert<RegistryDocument>({
      id: `${kind}:l:${label}`,
      name,
      kind,
      type: "label",
      version,
      record,
    });
    return record;
  }

  async getLabels(kind: AssetKind, name: string): Promise<AssetLabel[]> {
    const { resources } = await this.container.items
      .query<RegistryDocument>(
        {
          query: "SELECT * FROM c WHERE c.type = 'label' AND c.kind = @kind AND c.name = @name",
          parameters: [
            { name: "@kind", value: kind },
            { name: "@name", value: name },
          ],
        },
        { partitionKey: name },
      )
      .fetchAll();
    return resources
      .map((document) => document.record as AssetLabel)
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  async close(): Promise<void> {
    this.client?.dispose();
  }

  private async latestVersion(kind: AssetKind, name: string): Promise<number | undefined> {
    const { resources } = await this.container.items
      .query<number>(
        {
          query:
            "SELECT TOP 1 VALUE c.version FROM c WHERE c.type = 'version' AND c.kind = @kind AND c.name = @name ORDER BY c.version DESC",
          parameters: [
            { name: "@kind", value: kind },
            { name: "@name", value: name },
          ],
        },
        { partitionKey: name },
      )
      .fetchAll();
    return resources[0];
  }

  private async read(id: string, name: string): Promise<RegistryDocument | undefined> {
    const { resource } = await this.container.item(id, name).read<RegistryDocument>();
    return resource;
  }
}

/** Creates the database and the `registry` container when missing (emulators, key-based setups). */
export async function ensureRegistryContainer(
  client: CosmosClient,
  databaseId = DEFAULT_COSMOS_DATABASE,
  containerId = DEFAULT_REGISTRY_CONTAINER,
): Promise<Container> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const { container } = await database.containers.createIfNotExists({
    id: containerId,
    partitionKey: { paths: ["/name"] },
  });
  return container;
}

/** The Cosmos registry store from settings (`COSMOS_ENDPOINT`, `COSMOS_DATABASE`); owns its client. */
export function openCosmosRegistryStore(settings: Settings = process.env): CosmosRegistryStore {
  const client = createCosmosClient(settings);
  const container = client
    .database(settings["COSMOS_DATABASE"] || DEFAULT_COSMOS_DATABASE)
    .container(settings["COSMOS_REGISTRY_CONTAINER"] || DEFAULT_REGISTRY_CONTAINER);
  return new CosmosRegistryStore({ container, client });
}

function hashId(kind: AssetKind, hash: string): string {
  return `${kind}:h:${hash}`;
}
