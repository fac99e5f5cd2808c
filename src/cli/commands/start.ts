import path from "node:path";
import type { Command } from "commander";
import { createConnectionStore } from "../../connections/create-connection-store.js";
import { flowopsHome } from "../../core/flowops-home.js";
import { startLocalHost } from "../../host/local-host.js";
import { withLocalSettings } from "../../host/local-settings.js";
import { type LocalAzurite, startLocalAzurite } from "../../host/start-azurite.js";
import { createStudioApp, type StudioApp } from "../../studio/index.js";
import { setupTelemetry } from "../../telemetry/index.js";
import { loadTelemetrySdk } from "../../telemetry/setup-telemetry.js";
import type { CliContext } from "../cli-context.js";
import { parsePort } from "../parse-port.js";
import { waitForStop } from "../wait-for-stop.js";

/** `flowops start`: what `npm start` runs — Azurite plus the local Functions host serving every flow. */
export function registerStartCommand(program: Command, context: CliContext): void {
  program
    .command("start")
    .description(
      "serve every flow as the Functions app does, locally: HTTP on /api, queue triggers on Azurite, durable bulk runs, and the studio at /",
    )
    .option("--port <port>", "HTTP port", "7071")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--flows <dir>", "the flows folder (default FLOWOPS_FLOWS, else ./flows)")
    .addHelpText(
      "after",
      `
Reads local.settings.json (Values) like 'func start'. Starts Azurite from node_modules on its
default ports with its data in .flowops/azurite (reused if one is already listening) unless
AzureWebJobsStorage points elsewhere. Runs go to the local store under FLOWOPS_HOME unless
FLOWOPS_STORE=azure or COSMOS_ENDPOINT is set. With no connection configured and FLOWOPS_LLM_MODE unset, models answer
from recordings (replay). Unfinished bulk runs resume after a crash (state in .flowops/durable).

Examples:
  $ npm start
  $ flowops start --port 7072 --flows my-flows`,
    )
    .action(async (options: { port: string; host: string; flows?: string }) => {
      const root = process.cwd();
      const env = withLocalSettings(root, context.io.env);
      const port = parsePort(options.port);
      let azurite: LocalAzurite | undefined;
      const storage = env["AzureWebJobsStorage"];
      if (!storage || /UseDevelopmentStorage=true/i.test(storage)) {
        azurite = await startLocalAzurite(path.join(root, ".flowops", "azurite"));
        env["AzureWebJobsStorage"] = azurite.connectionString;
        context.log(
          azurite.started
            ? "Azurite started (data in .flowops/azurite)"
            : "Azurite (or another storage emulator) already listening on 10001: reusing it",
        );
      }
      if (!env["FLOWOPS_LLM_MODE"] && !(await hasConnections(env))) {
        env["FLOWOPS_LLM_MODE"] = "replay";
        context.log("no connection configured: model answers come from each flow's .recordings (replay)");
      }
      // As flow serve: spans are parented explicitly; async context tracking (opt-in) costs every request.
      const propagateContext = /^(1|on|true|yes)$/i.test(env["FLOWOPS_TRACE_CONTEXT"] ?? "");
      // With tracing off (FLOWOPS_TRACING=off, no OTLP endpoint) no tracer provider is registered at all,
      // so the engine's spans are no-ops and nothing is serialised for them.
      const tracingOff =
        /^(0|off|false|no)$/i.test(env["FLOWOPS_TRACING"] ?? "") &&
        !env["OTEL_EXPORTER_OTLP_ENDPOINT"] &&
        !env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];
      if (!tracingOff) await loadTelemetrySdk();
      const telemetry = tracingOff
        ? undefined
        : setupTelemetry({ home: flowopsHome(env), env, propagateContext });
      let studio: StudioApp | undefined;
      const host = await startLocalHost({
        root,
        port,
        host: options.host,
        settings: env,
        verbose: context.verbose,
        ...(options.flows ? { flowsDir: options.flows } : {}),
        // The studio at "/", beside the Functions routes under /api, on the same flows and run store.
        mounts: (app) => {
          studio = createStudioApp({
            flows: app.flows,
            runs: app.runs,
            env,
            listenHost: options.host,
            checkHost: false,
          });
          return [{ path: "/", app: studio.app }];
        },
        log: (level, message) => {
          if (level !== "information" || context.verbose) context.log(`[${level}] ${message}`);
          else context.log(message);
        },
      });
      context.io.stdout.write(describe(host.url, host.app.flows.names(), host.queues));
      context.io.onReady?.({ url: host.url });
      await waitForStop(context.io.signal);
      context.log("stopping");
      await host.stop();
      await studio?.close();
      await azurite?.stop();
      await telemetry?.flush().catch(() => undefined);
    });
}

function describe(url: string, flows: string[], queues: string[]): string {
  const example = flows.includes("named-entity-recognition")
    ? "named-entity-recognition"
    : (flows[0] ?? "FLOW");
  const lines = [
    `flowops host listening on ${url}`,
    "",
    `Studio: ${url}/   (flows, runs, traces, chat in the browser)`,
    "",
    "Functions:",
    ...flows.map(
      (flow) =>
        `  ${flow}: POST ${url}/api/flows/${flow}   (swagger: GET ${url}/api/flows/${flow}/swagger.json)`,
    ),
    `  health: GET ${url}/api/health`,
    `  runs:   POST ${url}/api/flows/{flow}/runs, GET ${url}/api/runs/{name}, GET ${url}/api/runs/{name}/lines`,
    ...(queues.length > 0 ? [`  queues: ${queues.join(", ")} (and their -poison queues)`] : []),
    "",
    "Try:",
    `  curl -s ${url}/api/health`,
    `  curl -s -X POST ${url}/api/flows/${example} -H 'content-type: application/json' -d '{}'`,
    `  curl -s -X POST ${url}/api/flows/${example}/runs -H 'content-type: application/json' \\`,
    `       -d '{"name": "demo-1", "data": [{}, {}]}'`,
    `  curl -s ${url}/api/runs/demo-1`,
    "",
  ];
  return `${lines.join("\n")}\n`;
}

export async function hasConnections(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (Object.keys(env).some((key) => key.startsWith("FLOWOPS_CONNECTION_"))) return true;
  try {
    return (await createConnectionStore(env).list()).length > 0;
  } catch {
    return false;
  }
}
