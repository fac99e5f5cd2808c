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
 * to a temporary file and renamed into place, so a `kill -9` leaves the last complete record. A file
 * that cannot be read back (truncated by a full disk, edited by hand) is moved aside as
 * `<instance>.json.corrupt-<time>` with a warning naming both files; the other instances carry on.
 */
export class InstanceStore {
  constructor(
    readonly folder: string,
    private readonly warn: (message: string) => void = () => {},
  ) {
    mkdirSync(folder, { recursive: true });
  }

  save(record: InstanceRecord): void {
    const file = this.file(record.instanceId);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, file);
  }

  load(instanceId: string): InstanceRecord | undefined {
    const file = this.file(instanceId);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let record: InstanceRecord;
    try {
      record = revive(JSON.parse(text));
    } catch (error) {
      this.quarantine(file, (error as Error).message);
      return undefined;
    }
    return record;
  }

  /** Every stored instance. */
  all(): InstanceRecord[] {
    return readdirSync(this.folder)
      .filter((file) => file.endsWith(".json"))
      .map((file) => this.load(decodeURIComponent(file.slice(0, -".json".length))))
      .filter((record): record is InstanceRecord => record !== undefined);
  }

  private quarantine(file: string, reason: string): void {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    try {
      renameSync(file, aside);
      this.warn(
        `durable: ${file} cannot be read (${reason}); moved it to ${aside} and carried on without that instance. Inspect or delete it.`,
      );
    } catch (error) {
      this.warn(
        `durable: ${file} cannot be read (${reason}) nor moved aside (${(error as Error).message}); skipped.`,
      );
    }
  }

  private file(instanceId: string): string {
    return path.join(this.folder, `${encodeURIComponent(instanceId)}.json`);
  }
}

/** The record from parsed JSON, with its dates back; throws when it is not an instance record. */
function revive(value: unknown): InstanceRecord {
  const record = value as InstanceRecord | null;
  if (
    !record ||
    typeof record !== "object" ||
    typeof record.instanceId !== "string" ||
    typeof record.name !== "string" ||
    typeof record.runtimeStatus !== "string" ||
    !Array.isArray(record.history)
  ) {
    throw new Error("not an instance record (instanceId, name, runtimeStatus and history expected)");
  }
  for (const event of record.history) {
    if (!event || typeof event !== "object") throw new Error("a history event is not an object");
    event.Timestamp = new Date(event.Timestamp);
  }
  return record;
}
