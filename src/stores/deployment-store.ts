import { FlowopsError, UserError } from "../core/errors.js";
import type { TokenUsage } from "../core/model-port.js";

/**
 * The deployment stores: which registered flow versions each endpoint serves with what traffic share
 * (every change kept as a numbered revision: who, when, what), and the log of served requests. Local
 * adapters are SQLite under FLOWOPS_HOME (`deployments.db`, `requests.db`); Azure adapters are the
 * Cosmos DB containers `deployments` and `requests` (both partitioned by `/endpoint`).
 */

/** One registered version and its share of the endpoint's traffic (weights are relative). */
export interface TrafficEntry {
  flow: string;
  version: number;
  weight: number;
}

export type DeploymentAction = "deploy" | "promote" | "rollback";

/** One revision of an endpoint's traffic split. Revisions are never changed, only added. */
export interface DeploymentRecord {
  endpoint: string;
  /** 1, 2, 3...: the latest is the one served. */
  revision: number;
  traffic: TrafficEntry[];
  action: DeploymentAction;
  /** For a rollback: the revision whose traffic it restored. */
  restored_revision?: number;
  /** ISO timestamp and who made the change (FLOWOPS_USER, GITHUB_ACTOR or the OS user). */
  updated_on: string;
  updated_by: string;
}

export interface DeploymentStore {
  /** The latest revision, or undefined when nothing was ever deployed to the endpoint. */
  current(endpoint: string): Promise<DeploymentRecord | undefined>;
  /** Every revision, oldest first. */
  history(endpoint: string): Promise<DeploymentRecord[]>;
  /**
   * Adds the next revision; `expectedRevision` (0 for the first) must be the latest one, else
   * DeploymentConflictError: two concurrent changes cannot both build on the same revision.
   */
  append(record: Omit<DeploymentRecord, "revision">, expectedRevision: number): Promise<DeploymentRecord>;
  listEndpoints(): Promise<string[]>;
  close(): Promise<void>;
}

/** One served request as the production log keeps it (no headers, user key hashed). */
export interface RequestRecord {
  endpoint: string;
  /** Unique id (also returned to the caller in `x-flowops-request-id`). */
  id: string;
  /** ISO timestamp of the request's arrival. */
  timestamp: string;
  flow: string;
  version: number;
  status: "Completed" | "Failed";
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: { code: string; message: string };
  latency_ms: number;
  usage: TokenUsage;
  /** sha256 of the caller's `x-flowops-user` (truncated); the key itself is never stored. */
  user?: string;
}

export interface RequestLogStore {
  append(record: RequestRecord): Promise<void>;
  /** The endpoint's requests with `since <= timestamp < until`, oldest first. */
  list(
    endpoint: string,
    options?: { since?: string; until?: string; limit?: number },
  ): Promise<RequestRecord[]>;
  close(): Promise<void>;
}

/** Another change to the endpoint landed first. */
export class DeploymentConflictError extends FlowopsError {
  constructor(endpoint: string, expected: number, actual: number) {
    super(
      "DeploymentConflict",
      `Endpoint '${endpoint}' changed while this change was being made (expected revision ${expected}, found ${actual}). Check 'flowops deploy show --endpoint ${endpoint}' and try again.`,
      { retryable: true },
    );
  }
}

/** Nothing deployed to that endpoint. */
export class EndpointNotFoundError extends UserError {
  constructor(endpoint: string) {
    super(
      "EndpointNotFound",
      `Nothing is deployed to endpoint '${endpoint}'. Deploy a registered flow version first: flowops deploy --endpoint ${endpoint} --flow <name>:<version>=100`,
      { field: "endpoint" },
    );
  }
}
