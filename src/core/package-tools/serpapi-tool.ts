import { UserError } from "../errors.js";
import type { ConnectionObject } from "../execution-types.js";
import type { NodeRunner, RunnerSetup } from "../node-runners/node-runner.js";
import { connectionName } from "./embedding-tool.js";

const DEFAULT_ENDPOINT = "https://serpapi.com";

/**
 * `promptflow.tools.serpapi.SerpAPI.search`: a web search through SerpAPI with the key from the
 * node's connection (a `custom` connection with the secret `api_key`, and optionally the config
 * `endpoint`; promptflow's `serp` connection fields are read the same way). Inputs as promptflow's
 * tool: `query`, `engine` (google|bing), `num`, `location`, `safe` (active|off). Output: the JSON answer.
 */
export function createSerpApiToolRunner(setup: RunnerSetup): NodeRunner {
  const { node } = setup;
  return async (call) => {
    const name = connectionName(node.name, call.inputs.connection ?? node.connection);
    const connection = await setup.connections?.get(name);
    if (!connection) {
      throw new UserError(
        "ConnectionNotFound",
        `Node '${node.name}' uses connection '${name}', which does not exist: create a custom connection with the secret 'api_key' ('flowops connection create --file serp.yaml').`,
        { node: node.name, field: "inputs.connection" },
      );
    }
    const apiKey = field(connection, "api_key");
    if (!apiKey) {
      throw new UserError(
        "ConnectionFieldMissing",
        `Node '${node.name}': connection '${name}' has no 'api_key': add it to the connection's secrets.`,
        { node: node.name, field: "inputs.connection" },
      );
    }
    const endpoint = (
      field(connection, "endpoint") ??
      field(connection, "api_base") ??
      DEFAULT_ENDPOINT
    ).replace(/\/+$/, "");
    const { query, engine = "google", num = 10, location, safe = "off" } = call.inputs;
    const params = new URLSearchParams({
      q: String(query ?? ""),
      engine: String(engine),
      num: String(num),
      safe: String(safe),
      output: "json",
      api_key: apiKey,
    });
    if (location) params.set("location", String(location));
    let response: Response;
    try {
      response = await fetch(`${endpoint}/search.json?${params}`, { signal: call.context.signal });
    } catch (error) {
      throw new UserError(
        "SerpApiUnreachable",
        `Node '${node.name}': SerpAPI at ${endpoint} is unreachable (${(error as Error).message}).`,
        {
          node: node.name,
          cause: error,
          retryable: true,
        },
      );
    }
    const body = await response.text();
    if (!response.ok) {
      // Never echo the request URL: it carries the key.
      throw new UserError(
        "SerpApiFailed",
        `Node '${node.name}': SerpAPI answered ${response.status}: ${body.replaceAll(apiKey, "***").slice(0, 300)}`,
        { node: node.name, retryable: response.status === 429 || response.status >= 500 },
      );
    }
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new UserError("SerpApiFailed", `Node '${node.name}': SerpAPI's answer is not JSON.`, {
        node: node.name,
      });
    }
  };
}

function field(connection: ConnectionObject, name: string): string | undefined {
  const secrets = connection.secrets as Record<string, unknown> | undefined;
  const configs = connection.configs as Record<string, unknown> | undefined;
  const value = secrets?.[name] ?? configs?.[name] ?? connection[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}
