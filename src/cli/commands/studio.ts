import path from "node:path";
import type { Command } from "commander";
import { UserError } from "../../core/errors.js";
import { loadTelemetrySdk } from "../../telemetry/setup-telemetry.js";
import type { CliContext } from "../cli-context.js";
import { waitForStop } from "../wait-for-stop.js";

interface StudioCommandOptions {
  port: string;
  host: string;
  flows?: string;
  allowRuns?: boolean;
}

/** `flowops studio`: the studio alone (the flows, runs, traces and chat app), without the Functions host. */
export function registerStudioCommand(program: Command, context: CliContext): void {
  program
    .command("studio")
    .description(
      "open the studio in a browser: flows and their DAGs, run and chat, traces, runs, experiments, registry, endpoints",
    )
    .option("--port <port>", "HTTP port", "7072")
    .option("--host <host>", "interface to listen on (beyond loopback the studio is read-only)", "127.0.0.1")
    .option("--flows <dir>", "the flows folder (default FLOWOPS_FLOWS, else ./flows)")
    .option("--allow-runs", "allow running flows and chatting when listening beyond loopback")
    .addHelpText(
      "after",
      `
'npm start' serves the studio too, at http://127.0.0.1:7071/. Runs, traces, the registry and deployments
are read from FLOWOPS_HOME (or Azure with FLOWOPS_STORE=azure). With no connection configured and
FLOWOPS_LLM_MODE unset, models answer from recordings (replay).

Examples:
  $ flowops studio
  $ flowops studio --port 8080 --flows my-flows`,
    )
    .action(async (options: StudioCommandOptions) => {
      const port = Number(options.port);
      if (!/^\d{1,5}$/.test(options.port) || port > 65_535)
        throw new UserError("BadPort", `--port must be a port number (0-65535), not '${options.port}'.`, {
          field: "port",
        });
      // Loaded here, so other commands do not pay for the web server and the stores at start-up.
      const [
        { createHttpApp, listenHttpApp, httpSettingsFrom },
        { createAppContext },
        { createStudioApp },
        { setupTelemetry },
        { flowopsHome },
        start,
      ] = await Promise.all([
        import("../../http/index.js"),
        import("../../app/app-context.js"),
        import("../../studio/index.js"),
        import("../../telemetry/index.js"),
        import("../../core/flowops-home.js"),
        import("./start.js"),
      ]);
      const env = { ...context.io.env };
      if (!env["FLOWOPS_LLM_MODE"] && !(await start.hasConnections(env))) {
        env["FLOWOPS_LLM_MODE"] = "replay";
        context.log("no connection configured: model answers come from each flow's .recordings (replay)");
      }
      await loadTelemetrySdk();
      const telemetry = setupTelemetry({ home: flowopsHome(env), env, propagateContext: false });
      const app = await createAppContext({
        settings: env,
        flowsDir: options.flows ?? env["FLOWOPS_FLOWS"] ?? path.resolve("flows"),
        log: (level, message) => context.log(`[${level}] ${message}`),
      });
      const studio = createStudioApp({
        flows: app.flows,
        runs: app.runs,
        env,
        listenHost: options.host,
        checkHost: false,
        ...(options.allowRuns ? { allowRuns: true } : {}),
      });
      // The one HTTP app (src/http): Host check, JSON-only POSTs and error mapping, the studio mounted at "/".
      const http = httpSettingsFrom(env);
      const server = await listenHttpApp(
        createHttpApp({
          mounts: [{ path: "/", app: studio.app }],
          log: (level, message) => context.log(`[${level}] ${message}`),
          verbose: context.verbose,
        }),
        {
          port,
          host: options.host,
          ...(http.allowedHosts ? { allowedHosts: http.allowedHosts } : {}),
          ...(http.baseUrl ? { baseUrl: http.baseUrl } : {}),
        },
      );
      const url = server.url;
      context.io.stdout.write(
        `flowops studio on ${url}/ (flows: ${app.flows.names().join(", ") || "none"})\n`,
      );
      context.io.onReady?.({ url });
      await waitForStop(context.io.signal);
      context.log("stopping");
      await server.close();
      await studio.close();
      await app.close();
      await telemetry.flush().catch(() => undefined);
    });
}
