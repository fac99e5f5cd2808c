import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../core/errors.js";
import { flowopsHome } from "../core/flowops-home.js";
import { type Connection, parseConnection } from "./connection-schema.js";
import { ConnectionExistsError, type ConnectionStore } from "./connection-store.js";

/**
 * Connections as `<home>/connections/<name>.json`: the directory is created with mode 0700 and each file
 * is written (atomically) with mode 0600, since files hold secrets in clear.
 */
export function createConnectionFileStore(home: string = flowopsHome()): ConnectionStore {
  const dir = join(home, "connections");
  const fileOf = (name: string) => join(dir, `${checkName(name)}.json`);

  const read = async (file: string): Promise<Connection | undefined> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new UserError("InvalidConnection", `${file}: not valid JSON (${(error as Error).message}).`, {
        location: { file },
      });
    }
    return parseConnection(raw, file);
  };

  const names = async (): Promise<string[]> => {
    try {
      return (await readdir(dir)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  };

  const write = async (connection: Connection) => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const file = fileOf(connection.name);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  };

  return {
    async create(connection) {
      if (await read(fileOf(connection.name))) throw new ConnectionExistsError(connection.name);
      await write(connection);
    },
    upsert: write,
    async get(name) {
      const exact = await read(fileOf(name));
      if (exact) return exact;
      // Names match like environment connections do: case-insensitive, '-' and '_' alike.
      const key = normalize(name);
      const other = (await names()).find((n) => normalize(n) === key);
      return other ? read(fileOf(other)) : undefined;
    },
    async list() {
      const all = await Promise.all((await names()).map((n) => read(fileOf(n))));
      return all.filter((c): c is Connection => c !== undefined).sort((a, b) => a.name.localeCompare(b.name));
    },
    async delete(name) {
      const file = fileOf(name);
      if (!(await read(file).catch(() => true))) return false;
      await rm(file, { force: true });
      return true;
    },
  };
}

function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new UserError(
      "InvalidConnectionName",
      `'${name}' is not a valid connection name: use letters, digits, '_', '-' or '.'.`,
      { field: "name" },
    );
  }
  return name;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/-/g, "_");
}
