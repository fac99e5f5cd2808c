import { UserError } from "../core/errors.js";
import type { Connection } from "./connection-schema.js";

/**
 * Where connections live. Values are stored as given (`${env:VAR}` unresolved, secrets in clear for
 * the file adapter, protected by file permissions); show/list output goes through maskConnection.
 */
export interface ConnectionStore {
  /** Adds a connection; fails with ConnectionExistsError if the name is taken. */
  create(connection: Connection): Promise<void>;
  /** Adds or replaces a connection. */
  upsert(connection: Connection): Promise<void>;
  get(name: string): Promise<Connection | undefined>;
  list(): Promise<Connection[]>;
  /** True when something was deleted. */
  delete(name: string): Promise<boolean>;
}

export class ConnectionExistsError extends UserError {
  constructor(name: string) {
    super(
      "ConnectionExists",
      `Connection '${name}' already exists: delete it first (flowops connection delete --name ${name}) or update it.`,
      { field: "name" },
    );
  }
}

export class ConnectionNotFoundError extends UserError {
  constructor(name: string, node?: string) {
    super(
      "ConnectionNotFound",
      `Connection '${name}'${node ? ` used by node '${node}'` : ""} does not exist: create it with 'flowops connection create --file <conn.yaml>' or set FLOWOPS_CONNECTION_${connectionEnvName(name)} to its JSON; to run without a model, set FLOWOPS_LLM_MODE=replay (recorded answers) or FLOWOPS_LLM_MODE=mock (labelled placeholder answers).`,
      node ? { node } : {},
    );
  }
}

/** Connections from the environment cannot be changed through the store. */
export class ReadOnlyConnectionStoreError extends UserError {}

/** `my-conn` → `MY_CONN`: the suffix of the FLOWOPS_CONNECTION_ variable for a connection name. */
export function connectionEnvName(name: string): string {
  return name.toUpperCase().replace(/[-.]/g, "_");
}
