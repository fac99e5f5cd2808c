import type { Container, CosmosClient, ItemDefinition, SqlParameter } from "@azure/cosmos";
import { ConcurrencyConflictError, RunExistsError, RunNotFoundError } from "../errors.js";
import type { LineRecord, ListRunsOptions, RunRecord, RunStore } from "../run-store.js";
import { statusOf } from "./cosmos-status.js";
import { createCosmosClient, type Settings } from "./credentials.js";

export const DEFAULT_COSMOS_DATABASE = "flowops";
export const DEFAULT_COSMOS_CONTAINER = "runs";

/** The run's own document in its partition. `record.run` is the base run, so the record is nested. */
interface RunDocument extends ItemDefinition {
  id: "run";
  run: string;
  type: "run";
  record: Omit<RunRecord, "etag">;
}

/** One line result: the LineRecord itself (its `run` is the partition key) plus id and type. */
type LineDocument = ItemDefinition & LineRecord & { id: string; type: "line" };

const RUN_ID = "run";
const PAGE_SIZE = 256;
const DELETE_CONCURRENCY = 16;
/** Unconditional updates re-read and retry this many times when another writer got in between. */
const UPDATE_ATTEMPTS = 5;

export interface CosmosRunStoreOptions {
  /** The container (partition key `/run`). */
  container: Container;
  /** A client the store owns: disposed by close(). */
  client?: CosmosClient;
}

/**
 * The run store on Cosmos DB: one container partitioned by `/run`; each run's partition holds its
 * run document (`id: "run"`) and one document per line (`id: "line-<n>"`). Run updates are
 * read-merge-replace with `If-Match` on the document's ETag (optimistic concurrency). Queries use
 * only what both Cosmos DB and the local emulator support: no OFFSET/LIMIT, single-field ORDER BY.
 */
export class CosmosRunStore implements RunStore {
  readonly container: Container;
  private readonly client: CosmosClient | undefined;

  constructor(options: CosmosRunStoreOptions) {
    this.container = options.container;
    this.client = options.client;
  }

  async createRun(run: RunRecord): Promise<RunRecord> {
    const { etag: _ignored, ...record } = run;
    const document: RunDocument = { id: RUN_ID, run: run.name, type: "run", record };
    try {
      const response = await this.container.items.create(document);
      return toRun(response.resource as RunDocument);
    } catch (error) {
      if (statusOf(error) === 409) throw new RunExistsError(run.name);
      throw error;
    }
  }

  async getRun(name: string): Promise<RunRecord | undefined> {
    const document = await this.readRunDocument(name);
    return document ? toRun(document) : undefined;
  }

  async updateRun(
    name: string,
    change: Partial<Omit<RunRecord, "name">>,
    options: { ifMatch?: string } = {},
  ): Promise<RunRecord> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.readRunDocument(name);
      if (!current) throw new RunNotFoundError(name);
      const etag = current._etag as string;
      if (options.ifMatch !== undefined && options.ifMatch !== etag) {
        throw new ConcurrencyConflictError(name, options.ifMatch, etag);
      }
      const { etag: _ignored, ...fields } = definedOnly(change);
      const next: RunDocument = {
        id: RUN_ID,
        run: name,
        type: "run",
        record: { ...current.record, ...fields, name },
      };
      try {
        const response = await this.container
          .item(RUN_ID, name)
          .replace<RunDocument>(next, { accessCondition: { type: "IfMatch", condition: etag } });
        return toRun(response.resource as RunDocument);
      } catch (error) {
        if (statusOf(error) === 404) throw new RunNotFoundError(name);
        if (statusOf(error) !== 412) throw error;
        // Someone else wrote in between: the caller's version is stale, or (unconditional) try again.
        if (options.ifMatch !== undefined || attempt >= UPDATE_ATTEMPTS) {
          const latest = await this.readRunDocument(name);
          throw new ConcurrencyConflictError(name, options.ifMatch ?? etag, latest?._etag);
        }
      }
    }
  }

  async listRuns(options: ListRunsOptions = {}): Promise<RunRecord[]> {
    const parameters: SqlParameter[] = [];
    let top = "";
    let where = "c.type = 'run'";
    const offset = options.offset ?? 0;
    if (options.limit !== undefined) {
      // TOP (offset + limit), then skip: OFFSET/LIMIT is not in every emulator's query engine.
      top = "TOP @limit ";
      parameters.push({ name: "@limit", value: options.limit + offset });
    }
    if (options.status) {
      where += " AND c.record.status = @status";
      parameters.push({ name: "@status", value: options.status });
    }
    if (!options.includeArchived)
      where += " AND (NOT IS_DEFINED(c.record.archived) OR c.record.archived = false)";
    const query = `SELECT ${top}* FROM c WHERE ${where} ORDER BY c.record.created_on DESC`;
    const { resources } = await this.container.items.query<RunDocument>({ query, parameters }).fetchAll();
    return resources.slice(offset).map(toRun);
  }

  async deleteRun(name: string): Promise<void> {
    // Lines first, the run document last: a delete cut short leaves a run with fewer lines, never
    // orphaned lines that a new run of the same name would inherit.
    const ids = await this.queryPartition<string>(
      name,
      "SELECT VALUE c.id FROM c WHERE c.run = @run AND c.type = 'line'",
      [{ name: "@run", value: name }],
    );
    for (let i = 0; i < ids.length; i += DELETE_CONCURRENCY) {
      await Promise.all(ids.slice(i, i + DELETE_CONCURRENCY).map((id) => this.deleteItem(id, name)));
    }
    if (!(await this.deleteItem(RUN_ID, name))) throw new RunNotFoundError(name);
  }

  async putLine(line: LineRecord): Promise<void> {
    const document: LineDocument = { ...line, id: `line-${line.line_number}`, type: "line" };
    await this.container.items.upsert(document);
  }

  async getLines(run: string, options: { offset?: number; limit?: number } = {}): Promise<LineRecord[]> {
    const offset = options.offset ?? 0;
    let after = -1;
    if (offset > 0) {
      // The emulator has no OFFSET: find the line number at that position with a cheap projection.
      const numbers = await this.queryPartition<number>(
        run,
        "SELECT TOP @n VALUE c.line_number FROM c WHERE c.run = @run AND c.type = 'line' ORDER BY c.line_number",
        [
          { name: "@n", value: offset },
          { name: "@run", value: run },
        ],
      );
      if (numbers.length < offset) return [];
      after = numbers[numbers.length - 1] as number;
    }
    return this.linesAfter(run, after, options.limit);
  }

  async *iterateLines(run: string): AsyncIterable<LineRecord> {
    let after = -1;
    for (;;) {
      // Keyset pages: each page is a fresh query, so lines written meanwhile are seen in order.
      const page = await this.linesAfter(run, after, PAGE_SIZE);
      yield* page;
      if (page.length < PAGE_SIZE) return;
      after = (page[page.length - 1] as LineRecord).line_number;
    }
  }

  async close(): Promise<void> {
    this.client?.dispose();
  }

  private async linesAfter(run: string, after: number, limit: number | undefined): Promise<LineRecord[]> {
    const parameters: SqlParameter[] = [
      { name: "@run", value: run },
      { name: "@after", value: after },
    ];
    if (limit !== undefined) parameters.push({ name: "@limit", value: limit });
    const documents = await this.queryPartition<LineDocument>(
      run,
      `SELECT ${limit !== undefined ? "TOP @limit " : ""}* FROM c ` +
        "WHERE c.run = @run AND c.type = 'line' AND c.line_number > @after ORDER BY c.line_number",
      parameters,
    );
    return documents.map(toLine);
  }

  private async queryPartition<T>(run: string, query: string, parameters: SqlParameter[]): Promise<T[]> {
    const { resources } = await this.container.items
      .query<T>({ query, parameters }, { partitionKey: run })
      .fetchAll();
    return resources;
  }

  private async readRunDocument(name: string): Promise<RunDocument | undefined> {
    const { resource } = await this.container.item(RUN_ID, name).read<RunDocument>();
    return resource;
  }

  /** Deletes one document; false when it was not there. */
  private async deleteItem(id: string, run: string): Promise<boolean> {
    try {
      await this.container.item(id, run).delete();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }
}

/**
 * Creates the database and container when missing, with the partition key the store needs. For
 * emulators and key-based setups: with Entra ID (data-plane RBAC) the infrastructure must create them.
 */
export async function ensureRunsContainer(
  client: CosmosClient,
  databaseId = DEFAULT_COSMOS_DATABASE,
  containerId = DEFAULT_COSMOS_CONTAINER,
): Promise<Container> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const { container } = await database.containers.createIfNotExists({
    id: containerId,
    partitionKey: { paths: ["/run"] },
  });
  return container;
}

/**
 * The Cosmos run store from settings (`COSMOS_ENDPOINT` or, for emulators, `COSMOS_CONNECTION_STRING`;
 * `COSMOS_DATABASE` default `flowops`, `COSMOS_CONTAINER` default `runs`). The store owns the client.
 */
export function openCosmosRunStore(settings: Settings = process.env): CosmosRunStore {
  const client = createCosmosClient(settings);
  const container = client
    .database(settings["COSMOS_DATABASE"] || DEFAULT_COSMOS_DATABASE)
    .container(settings["COSMOS_CONTAINER"] || DEFAULT_COSMOS_CONTAINER);
  return new CosmosRunStore({ container, client });
}

function toRun(document: RunDocument): RunRecord {
  return { ...document.record, etag: document._etag as string };
}

function toLine(document: LineDocument): LineRecord {
  const {
    id: _id,
    type: _type,
    _rid,
    _self,
    _etag,
    _ts,
    _attachments,
    ...line
  } = document as LineDocument & Record<string, unknown>;
  return line as LineRecord;
}

function definedOnly<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<T>;
}
