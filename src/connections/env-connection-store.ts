import type { Connection } from "./connection-schema.js";
import { parseConnection } from "./connection-schema.js";
import { type ConnectionStore, connectionEnvName, ReadOnlyConnectionStoreError } from "./connection-store.js";

const prefix = "FLOWOPS_CONNECTION_";

/**
 * Connections from environment variables (servers, Functions app settings): `FLOWOPS_CONNECTION_<NAME>`
 * holds the connection as JSON. Names match case-insensitively with `-` and `_` equivalent; the JSON's
 * `name` may be omitted (the variable's suffix, lower-cased, is used). Read-only.
 */
export function createEnvConnectionStore(env: NodeJS.ProcessEnv = process.env): ConnectionStore {
  const entries = () =>
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[0].toUpperCase().startsWith(prefix) && typeof entry[1] === "string" && entry[1].trim() !== "",
    );
  const load = (variable: string, value: string, name?: string): Connection => {
    let raw: unknown;
    try {
      raw = JSON.parse(value);
    } catch (error) {
      throw new ReadOnlyConnectionStoreError(
        "InvalidConnection",
        `Environment variable ${variable}: not valid JSON (${(error as Error).message}); it must hold the connection as a JSON object.`,
        { location: { file: `env:${variable}` } },
      );
    }
    const fallback = name ?? variable.slice(prefix.length).toLowerCase();
    const withName = raw && typeof raw === "object" && !("name" in raw) ? { ...raw, name: fallback } : raw;
    return parseConnection(withName, `environment variable ${variable}`);
  };
  const readOnly = (what: string) =>
    Promise.reject(
      new ReadOnlyConnectionStoreError(
        "ConnectionReadOnly",
        `Cannot ${what}: connections from FLOWOPS_CONNECTION_* environment variables are read-only; change the variable instead.`,
      ),
    );
  return {
    create: () => readOnly("create a connection in the environment"),
    upsert: () => readOnly("update a connection in the environment"),
    delete: () => readOnly("delete a connection from the environment"),
    async get(name) {
      const wanted = prefix + connectionEnvName(name);
      const found = entries().find(([variable]) => variable.toUpperCase().replace(/-/g, "_") === wanted);
      return found ? load(found[0], found[1], name) : undefined;
    },
    async list() {
      return entries().map(([variable, value]) => load(variable, value));
    },
  };
}
