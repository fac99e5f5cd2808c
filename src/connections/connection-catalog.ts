import type { ConnectionCatalog, ConnectionInfo } from "../core/model-port.js";
import type { ConnectionStore } from "./connection-store.js";

/** The engine's ConnectionCatalog over a store: the list is loaded once, then `get` is synchronous. */
export async function loadConnectionCatalog(store: ConnectionStore): Promise<ConnectionCatalog> {
  const byName = new Map<string, ConnectionInfo>();
  for (const connection of await store.list()) {
    const info = { name: connection.name, type: connection.type };
    byName.set(normalize(connection.name), info);
  }
  return { get: (name) => byName.get(normalize(name)) };
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/-/g, "_");
}
