import { UserError } from "./errors.js";
import type { ConnectionLookup } from "./execution-types.js";
import type { FlowDefinition } from "./flow-definition.js";

const CONNECTION_FIELD = /^\$\{([A-Za-z_][\w-]*)\.([A-Za-z_]\w*)\}$/;

/**
 * promptflow's flow-level `environment_variables` (flow.flex.yaml, flow.dag.yaml): the variables the
 * flow's python code sees, a value may be `${connection.field}` (read from that connection). A run's
 * own `--environment-variables` win for the names they share, and are then what gets resolved, so a
 * run can shadow a reference to a connection that does not exist. Names only the run gives are left to
 * the run (never resolved). Returns the resolved variables of the flow's names. Values that are not
 * text become what promptflow puts in `os.environ`: JSON (`json.dumps`) for lists and mappings, python's
 * `str()` otherwise (`2` -> "2", `true` -> "True").
 */
export async function resolveFlowEnvironment(
  flow: Pick<FlowDefinition, "extra" | "file">,
  runVariables: Readonly<Record<string, string>> | undefined,
  connections: ConnectionLookup | undefined,
): Promise<Record<string, string>> {
  const declared = flow.extra["environment_variables"];
  if (!declared || typeof declared !== "object" || Array.isArray(declared)) return {};
  const resolved: Record<string, string> = {};
  for (const [name, raw] of Object.entries(declared as Record<string, unknown>)) {
    const value = runVariables?.[name] ?? pythonText(raw);
    const reference = CONNECTION_FIELD.exec(value);
    resolved[name] = reference
      ? await connectionField(reference[1]!, reference[2]!, name, flow.file, connections)
      : value;
  }
  return resolved;
}

async function connectionField(
  connection: string,
  field: string,
  variable: string,
  file: string,
  connections: ConnectionLookup | undefined,
): Promise<string> {
  const found = await connections?.get(connection);
  if (!found) {
    throw new UserError(
      "ConnectionNotFound",
      `${file}: environment variable '${variable}' reads connection '${connection}', which does not exist: create it with 'flowops connection create --file CONNECTION.yaml' (or set FLOWOPS_CONNECTION_${connection.toUpperCase()}), or give ${variable} with --environment-variables.`,
      { location: { file }, field: `environment_variables.${variable}` },
    );
  }
  const groups = [found, found["configs"], found["secrets"]] as (Record<string, unknown> | undefined)[];
  const value = groups.find((group) => group && group[field] !== undefined && group[field] !== null)?.[field];
  if (value === undefined) {
    throw new UserError(
      "ConnectionFieldNotFound",
      `${file}: environment variable '${variable}' reads '${field}' of connection '${connection}', which has no such field.`,
      { location: { file }, field: `environment_variables.${variable}` },
    );
  }
  return String(value);
}

function pythonText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return pythonJson(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

/** python's `json.dumps`: ", " and ": " separators, non-ASCII escaped. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJson(key)}: ${pythonJson(item)}`)
      .join(", ")}}`;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string")
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  return JSON.stringify(value) ?? "null";
}
