import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RuntimeStatus } from "../../app/orchestration-client.js";
import type { HistoryEvent } from "./durable-internals.js";

/** One orchestration instance as the local runtime keeps it: its history and where it stands. */
export interface InstanceRecord {
  instanceId: string;
  name: string;
  input: unknown;
  runtimeStatus: RuntimeStatus;
  history: HistoryEvent[];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  /** Executions so far (continueAsNew starts a new one). */
  executions: number;
}

/**
 * Instance records as one JSON file each under a folder (`.flowops/durable/<instance>.json`), written
 * to a temporary file and renamed into place, so a `kill -9` leaves the last complete record.
 */
export class InstanceStore {
  constructor(readonly folder: string) {
    mkdirSync(folder, { recursive: true });
  }

  save(record: InstanceRecord): void {
    const file = this.file(record.instanceId);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, file);
  }

  load(instanceId: string): InstanceRecord | undefined {
    try {
      return revive(JSON.parse(readFileSync(this.file(instanceId), "utf8")) as InstanceRecord);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Every stored instance. */
  all(): InstanceRecord[] {
    return readdirSync(this.folder)
      .filter((file) => file.endsWith(".json"))
      .map((file) => this.load(decodeURIComponent(file.slice(0, -".json".length))))
      .filter((record): record is InstanceRecord => record !== undefined);
  }

  private file(instanceId: string): string {
    return path.join(this.folder, `${encodeURIComponent(instanceId)}.json`);
  }
}

function revive(record: InstanceRecord): InstanceRecord {
  for (const event of record.history) event.Timestamp = new Date(event.Timestamp);
  return record;
}
