import type { Connection } from "./connection-schema.js";
import type { ConnectionStore } from "./connection-store.js";

/**
 * Reads from each store in order (the first that has a name wins: environment before file);
 * writes and deletes go to `writable` (the file store).
 */
export function createCompositeConnectionStore(
  readOrder: ConnectionStore[],
  writable: ConnectionStore,
): ConnectionStore {
  return {
    create: (connection) => writable.create(connection),
    upsert: (connection) => writable.upsert(connection),
    delete: (name) => writable.delete(name),
    async get(name) {
      for (const store of readOrder) {
        const found = await store.get(name);
        if (found) return found;
      }
      return undefined;
    },
    async list() {
      const byName = new Map<string, Connection>();
      for (const store of readOrder) {
        for (const connection of await store.list()) {
          const key = connection.name.toLowerCase().replace(/-/g, "_");
          if (!byName.has(key)) byName.set(key, connection);
        }
      }
      return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
