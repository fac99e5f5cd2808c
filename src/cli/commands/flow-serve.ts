import path from "node:path";
import type { Command } from "commander";
import { flowopsHome } from "../../core/flowops-home.js";
import { InputError } from "../../core/index.js";
import { packageInfo } from "../../core/package-info.js";
import { loadFlow } from "../../load-flow.js";
import type { CliContext } from "../cli-context.js";
import { parseInit } from "../parse-init.js";
import { parsePort } from "../parse-port.js";
import { waitForStop } from "../wait-for-stop.js";

/**
 * `flowops flow serve`. Its server (the HTTP app, the Node adapter, node:cluster) and tracing set-up
 * are imported when it runs, so that `flow test` and `flow validate` do not load them.
 */
export function registerFlowServeCommand(flow: Command, context: CliContext): void {
  flow
    .command("serve")
    .description("serve a flow over HTTP: POST /score, GET /health, GET /swagger.json")
    .requiredOption("--source <path>", "the flow folder or its flow.dag.yaml")
    .option("--port <port>", "port to listen on (0 picks a free one)", "8080")
    .option("--host <host>", "interface to listen on (0.0.0.0 for all)", "127.0.0.1")
    .option("--workers <n>", "worker processes sharing the port (node:cluster), e.g. one per core", "1")
    .option(
      "--init <key=value...>",
      "a flex class entry's init arguments, or one JSON file of them (default: the flow's sample.init)",
    )
    .addHelpText(
      "after",
      `
POST /score takes the flow's inputs as a JSON object and returns its outputs as JSON; with
'Accept: text/event-stream' it streams server-sent events (promptflow's format: one event with the
outputs that do not stream, then {"<output>": "<chunk>"} deltas). Bad JSON or inputs get a 400 naming
the field. Stop with Ctrl+C.

Examples:
  $ flowops flow serve --source flows/chat --port 8080
  $ flowops flow serve --source flows/chat --port 8080 --host 0.0.0.0 --workers 4
  $ curl -s localhost:8080/score -H 'content-type: application/json' -d '{"question": "Hi"}'
  $ curl -N localhost:8080/score -H 'accept: text/event-stream' -H 'content-type: application/json' \\
      -d '{"question": "Hi"}'

Only JSON bodies are accepted (415 otherwise). Bound to loopback, the server answers only to
localhost, 127.x.x.x or [::1] Host values: FLOWOPS_ALLOWED_HOSTS=name:port,... adds others.
FLOWOPS_MAX_IN_FLIGHT bounds the requests running at once (503 with Retry-After beyond; default 1024).`,
    )
    .action(
      async (options: { source: string; port: string; host: string; workers: string; init?: string[] }) => {
        const port = parsePort(options.port);
        const workers = Number(options.workers);
        if (!Number.isInteger(workers) || workers < 1) {
          throw new InputError(
            "InvalidArgument",
            `--workers '${options.workers}' is not a count: give 1 or more.`,
            {
              field: "--workers",
            },
          );
        }
        const env = context.io.env;
        const [
          { default: cluster },
          { createFlowServer, startServeCluster },
          { httpSettingsFrom },
          telemetry,
        ] = await Promise.all([
          import("node:cluster"),
          import("../../serve/index.js"),
          import("../../http/http-settings.js"),
          import("../../telemetry/setup-telemetry.js"),
        ]);
        if (workers > 1 && cluster.isPrimary) {
          const served = await startServeCluster({
            workers,
            exec: path.join(packageInfo().root, "bin/flowops.js"),
            args: [
              "flow",
              "serve",
              "--source",
              path.resolve(options.source),
              "--port",
              String(port),
              "--host",
              options.host,
              ...(options.init
                ? [
                    "--init",
                    ...options.init.map((value) => (value.includes("=") ? value : path.resolve(value))),
                  ]
                : []),
            ],
            env,
            host: options.host,
          });
          context.log(
            `serving ${options.source} at ${served.url} with ${workers} workers (POST /score, GET /health, GET /swagger.json); Ctrl+C stops`,
          );
          context.io.onReady?.({ url: served.url });
          await waitForStop(context.io.signal);
          context.log("stopping");
          await served.stop();
          return;
        }
        // Flow and node spans are parented explicitly; async context tracking would cost every request.
        const propagateContext = /^(1|on|true|yes)$/i.test(env["FLOWOPS_TRACE_CONTEXT"] ?? "");
        await telemetry.loadTelemetrySdk();
        const tracing = telemetry.setupTelemetry({ home: flowopsHome(env), env, propagateContext });
        const init = parseInit(options.init);
        const fn = await loadFlow(options.source, { env, ...(init ? { init } : {}) });
        const server = createFlowServer({
          flow: fn,
          version: packageInfo().version,
          log: (level, message) => context.log(level === "information" ? message : `[${level}] ${message}`),
          verbose: context.verbose,
          ...httpSettingsFrom(env),
        });
        const { url } = await server.listen(port, options.host);
        if (!cluster.isWorker) {
          const shown = path.relative(process.cwd(), fn.definition.file) || fn.definition.file;
          context.log(
            `serving ${shown} at ${url} (POST /score, GET /health, GET /swagger.json); Ctrl+C stops`,
          );
          context.io.onReady?.({ url });
        }
        await waitForStop(context.io.signal);
        if (!cluster.isWorker) context.log("stopping");
        await server.close();
        // The flow's python workers (flex entries, python nodes) would keep the process alive.
        await fn.close();
        await tracing
          .flush()
          .catch((error: unknown) => context.log(`traces not all saved: ${String(error)}`));
        // A cluster worker's IPC channel would keep it alive.
        if (cluster.isWorker) process.disconnect?.();
      },
    );
}
