import path from "node:path";
import type { Command } from "commander";
import { UserError } from "../../core/errors.js";
import { flowopsHome } from "../../core/flowops-home.js";
import type { FlowFunction } from "../../flow-function.js";
import { loadFlow } from "../../load-flow.js";
import type { CliContext } from "../cli-context.js";
import { parseKeyValues } from "../parse-key-values.js";
import { ExitCode } from "../report-error.js";

interface InvokeOptions {
  endpoint: string;
  inputs?: string[];
  data?: string;
  user?: string;
}

/**
 * `flowops endpoint invoke --endpoint E (--inputs k=v... | --data FILE)`: sends requests through the
 * same endpoint handler as `POST /api/endpoints/{endpoint}` (weighted or sticky version choice, request
 * log), without a server: a way to put traffic on an A/B endpoint from a script or the README tour, so
 * `endpoint compare` and production evaluation have something to read.
 */
export function registerEndpointInvokeCommand(endpoint: Command, context: CliContext): void {
  endpoint
    .command("invoke")
    .description(
      "send inputs (or every row of a data file) to an A/B endpoint, as POST /api/endpoints/E does",
    )
    .requiredOption("--endpoint <name>", "the endpoint")
    .option("--inputs <key=value...>", "one request's inputs")
    .option("--data <file>", "one request per row (.jsonl, .csv, .tsv, .json)")
    .option("--user <key>", "sticky routing key (x-flowops-user): the same key gets the same version")
    .addHelpText(
      "after",
      `
Prints one JSON line per request: {"version","status","outputs"|"error"}. The requests are logged
like the HTTP endpoint's (FLOWOPS_REQUEST_SAMPLE_RATE, FLOWOPS_REQUEST_EXCLUDE_FIELDS). Exits 1 when
a request failed.

Examples:
  $ flowops endpoint invoke --endpoint ner --inputs entity_type=person text="Ada Lovelace met Charles Babbage."
  $ flowops endpoint invoke --endpoint ner --data flows/named-entity-recognition/data/ner-test.jsonl`,
    )
    .action((options: InvokeOptions) => invoke(options, context));
}

async function invoke(options: InvokeOptions, context: CliContext): Promise<void> {
  if (!options.inputs === !options.data) {
    throw new UserError("InvalidArgument", "endpoint invoke: give either --inputs k=v... or --data FILE.", {
      field: options.data ? "--inputs" : "--data",
    });
  }
  const env = context.io.env;
  // Loaded on demand: the deployment stores and registry pull in the Azure SDKs.
  const { handleEndpointRequest, VERSION_HEADER, USER_HEADER } = await import(
    "../../deploy/handle-endpoint-request.js"
  );
  const { createFlowVersionCache } = await import("../../deploy/flow-version-cache.js");
  const { openDeploymentStores } = await import("../../deploy/open-deployment-stores.js");
  const { loggingOptionsFromEnv } = await import("../../deploy/request-logging.js");
  const { openRegistry } = await import("../../registry/open-registry.js");
  const { readData } = await import("../../runs/read-data.js");

  const opened = await openRegistry(env);
  const stores = await openDeploymentStores(env).catch(async (error: unknown) => {
    await opened.close();
    throw error;
  });
  const loaded: FlowFunction[] = [];
  const flows = createFlowVersionCache({
    registry: opened.registry,
    cacheDir: env["FLOWOPS_CACHE_DIR"] || path.join(flowopsHome(env), "cache", "endpoints"),
    env,
    load: async (dir) => {
      const fn = await loadFlow(dir, { env });
      loaded.push(fn);
      return fn;
    },
  });
  const send = async (inputs: Record<string, unknown>) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.user) headers[USER_HEADER] = options.user;
    const response = await handleEndpointRequest(
      new Request(`http://flowops.local/api/endpoints/${encodeURIComponent(options.endpoint)}`, {
        method: "POST",
        headers,
        body: JSON.stringify(inputs),
      }),
      {
        deployments: stores.deployments,
        requests: stores.requests,
        flows,
        logging: loggingOptionsFromEnv(env),
        endpoint: options.endpoint,
        onLogError: (error) => context.log(`request not logged: ${String(error)}`),
      },
    );
    const body = (await response.json()) as Record<string, unknown>;
    const version = response.headers.get(VERSION_HEADER);
    if (response.status === 404 && !version) {
      const error = body["error"] as { message?: string } | undefined;
      throw new UserError(
        "EndpointNotFound",
        `${error?.message ?? `Nothing is deployed to endpoint '${options.endpoint}'.`} Deploy a registered version first: flowops deploy --endpoint ${options.endpoint} --flow <name>:<version>=100`,
        { field: "--endpoint" },
      );
    }
    const ok = response.status === 200;
    context.io.stdout.write(
      `${JSON.stringify({ version, status: ok ? "Completed" : "Failed", ...(ok ? { outputs: body } : body) })}\n`,
    );
    return ok;
  };
  let sent = 0;
  let failed = 0;
  try {
    if (options.inputs) {
      sent++;
      if (!(await send(parseKeyValues(options.inputs, "--inputs")))) failed++;
    } else {
      for await (const { row } of readData(path.resolve(options.data!))) {
        sent++;
        if (!(await send(row))) failed++;
      }
    }
  } finally {
    await Promise.all(loaded.map((fn) => fn.close()));
    await stores.close();
    await opened.close();
  }
  context.log(
    `${sent} request${sent === 1 ? "" : "s"} sent to endpoint '${options.endpoint}', ${failed} failed`,
  );
  if (failed > 0) context.exitCode = ExitCode.Failure;
}
