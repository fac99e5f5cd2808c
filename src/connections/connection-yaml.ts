import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { UserError } from "../core/errors.js";
import { type Connection, InvalidConnectionError, parseConnection } from "./connection-schema.js";

/** `--set key=value` overrides: `api_key=...`, `configs.region=...`, `secrets.token=...`. */
export type ConnectionOverrides = Record<string, string> | string[];

/** Parses promptflow connection YAML (with overrides applied), naming the file, line and field on error. */
export function parseConnectionYaml(
  text: string,
  file: string,
  overrides: ConnectionOverrides = {},
): Connection {
  const document = parseDocument(text);
  const problem = document.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    throw new InvalidConnectionError(
      "InvalidConnection",
      `${file}${at ? `:${at.line}:${at.col}` : ""}: invalid YAML: ${problem.message.split("\n")[0]}`,
      { location: { file, ...(at ? { line: at.line, column: at.col } : {}) } },
    );
  }
  const raw = document.toJS() as unknown;
  if (raw && typeof raw === "object" && !Array.isArray(raw))
    applyOverrides(raw as Record<string, unknown>, overrides);
  return parseConnection(raw, file);
}

export async function readConnectionFile(
  file: string,
  overrides: ConnectionOverrides = {},
): Promise<Connection> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UserError(
      "ConnectionFileNotFound",
      `Cannot read connection file ${file}: ${(error as Error).message}`,
      {
        location: { file },
      },
    );
  }
  return parseConnectionYaml(text, file, overrides);
}

/**
 * promptflow's `pf connection update --set k=v`: the connection with the overrides applied, validated
 * again (a field the type does not have, or a value that does not fit, names the field). The name and
 * the type cannot change.
 */
export function updateConnection(
  connection: Connection,
  overrides: ConnectionOverrides,
  source: string,
): Connection {
  const raw = structuredClone(connection) as Record<string, unknown>;
  applyOverrides(raw, overrides);
  for (const fixed of ["name", "type"] as const) {
    if (raw[fixed] !== connection[fixed])
      throw new InvalidConnectionError(
        "InvalidConnection",
        `${source}: field '${fixed}' cannot be changed by update: create a new connection (flowops connection create --file ...) instead.`,
        { field: fixed },
      );
  }
  return parseConnection(raw, source);
}

function applyOverrides(target: Record<string, unknown>, overrides: ConnectionOverrides): void {
  const pairs = Array.isArray(overrides)
    ? overrides.map((item) => {
        const at = item.indexOf("=");
        if (at <= 0) {
          throw new UserError(
            "InvalidOverride",
            `--set '${item}': write it as key=value (e.g. api_key=...).`,
          );
        }
        return [item.slice(0, at), item.slice(at + 1)] as const;
      })
    : Object.entries(overrides);
  for (const [path, value] of pairs) {
    const keys = path.split(".");
    let node = target;
    for (const key of keys.slice(0, -1)) {
      if (!node[key] || typeof node[key] !== "object") node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1) as string] = value;
  }
}
