import type { ConnectionLookup, PythonParameter } from "../execution-types.js";

/**
 * promptflow resolves a model configuration init value that names a connection (`{"connection":
 * "aoai", "azure_deployment": ...}` for an `AzureOpenAIModelConfiguration` parameter): the class gets
 * the connection's endpoint, version and key for the fields it leaves empty. Values whose parameter is
 * not a model configuration, or whose connection does not exist, are left as they are (the call then
 * fails where the configuration is used, naming the connection).
 */
export async function fillModelConfigurations(
  init: Record<string, unknown> | undefined,
  parameters: readonly PythonParameter[],
  connections: ConnectionLookup | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (!init || !connections) return init;
  let filled: Record<string, unknown> | undefined;
  for (const parameter of parameters) {
    const value = init[parameter.name];
    const kind = /AzureOpenAIModelConfiguration$/.test(parameter.annotation ?? "")
      ? "azure"
      : /OpenAIModelConfiguration$/.test(parameter.annotation ?? "")
        ? "openai"
        : undefined;
    if (!kind || value === null || typeof value !== "object" || Array.isArray(value)) continue;
    const config = value as Record<string, unknown>;
    if (typeof config["connection"] !== "string") continue;
    const connection = await connections.get(config["connection"]);
    if (!connection) continue;
    const field = (...names: string[]) =>
      names.map((name) => connection[name]).find((v) => typeof v === "string" && v !== "");
    const fromConnection =
      kind === "azure"
        ? { azure_endpoint: field("api_base", "azure_endpoint"), api_version: field("api_version") }
        : { base_url: field("base_url", "api_base"), organization: field("organization") };
    const merged: Record<string, unknown> = { ...config };
    for (const [name, fieldValue] of Object.entries(fromConnection))
      if (merged[name] == null && fieldValue !== undefined) merged[name] = fieldValue;
    filled ??= { ...init };
    filled[parameter.name] = merged;
  }
  return filled ?? init;
}
