/**
 * What the app needs from Durable Functions' client: the status of an instance and starting one with
 * a chosen instance id. `functions/` adapts durable-functions' DurableClient; the local host provides
 * its own runtime behind the same interface.
 */
export type RuntimeStatus =
  | "Pending"
  | "Running"
  | "Completed"
  | "ContinuedAsNew"
  | "Failed"
  | "Canceled"
  | "Terminated"
  | "Suspended";

export interface InstanceStatus {
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  output?: unknown;
  createdTime?: string;
  lastUpdatedTime?: string;
}

export interface OrchestrationClient {
  /** The instance's status, or undefined when there is no instance with that id. */
  getStatus(instanceId: string): Promise<InstanceStatus | undefined>;
  /** Starts an orchestration; rejects with InstanceExistsError when the id is taken by a live instance. */
  startNew(orchestration: string, options: { instanceId: string; input: unknown }): Promise<string>;
}

/** Another start of an instance id that is already running (a duplicate delivery that raced the first). */
export class InstanceExistsError extends Error {
  constructor(readonly instanceId: string) {
    super(`An orchestration with instance id '${instanceId}' already exists.`);
    this.name = "InstanceExistsError";
  }
}

/** Statuses after which an instance will not run again by itself. */
export const FINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set([
  "Completed",
  "Failed",
  "Canceled",
  "Terminated",
]);
