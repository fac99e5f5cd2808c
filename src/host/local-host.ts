import path from "node:path";
import { type AppContext, createAppContext } from "../app/app-context.js";
import type { HttpFunction, Invocation, QueueFunction } from "../app/function-table.js";
import { buildFunctionTable } from "../app/function-table.js";
import { createHttpApp, type HttpMount } from "../http/create-http-app.js";
import { FUNCTION_ROUTES, functionRoutes } from "../http/function-routes.js";
import { httpSettingsFrom } from "../http/http-settings.js";
import { listenHttpApp } from "../http/listen-http-app.js";
import { createQueueServiceClient } from "../stores/azure/credentials.js";
import type { OrchestratorGenerator } from "./durable/durable-internals.js";
import { LocalDurableRuntime } from "./durable/local-durable-runtime.js";
import { type HostSettings, readHostSettings } from "./host-settings.js";
import { QueuePoller } from "./queue-poller.js";

export interface LocalHostOptions {
  /** The project folder: host.json, and `.flowops/` for durable state. Default: the working directory. */
  root?: string;
  /** The flows folder; default FLOWOPS_FLOWS, else `<root>/flows`. */
  flowsDir?: string;
  /** Default 7071, like `func start`; 0 picks a free port. */
  port?: number;
  host?: string;
  /** App settings; default process.env. */
  settings?: NodeJS.ProcessEnv;
  /** Where orchestration histories are kept; default `<root>/.flowops/durable`. */
  stateDir?: string;
  log?: AppContext["log"];
  /** Stack traces of server errors in the log (--verbose). */
  verbose?: boolean;
  /**
   * More apps served by the same HTTP server after the Functions routes, e.g. the studio at "/":
   * `{ path: "/", app: studioApp }` (the Host check, JSON-only POSTs and error mapping apply to them);
   * a function builds them from the host's app context (its flow catalog and run store).
   */
  mounts?: readonly HttpMount[] | ((app: AppContext) => readonly HttpMount[]);
}

export interface LocalHost {
  readonly url: string;
  readonly app: AppContext;
  readonly runtime: LocalDurableRuntime;
  readonly settings: HostSettings;
  /** The queues polled (`{flow}-runs`). */
  readonly queues: string[];
  stop(): Promise<void>;
}

/**
 * Serves the function table as the Functions host would: HTTP functions under `/api` on the one
 * HTTP app (src/http) on node:http, queue triggers polling Storage (Azurite locally) with host.json's retry
 * and poison rules, and the bulk-run orchestration on the local Durable runtime, whose state under
 * `.flowops/durable` lets unfinished runs resume after a crash.
 */
export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const root = path.resolve(options.root ?? process.cwd());
  const settings = options.settings ?? process.env;
  const hostSettings = readHostSettings(root, settings);
  const app = await createAppContext({
    settings,
    flowsDir: options.flowsDir ?? settings["FLOWOPS_FLOWS"] ?? path.join(root, "flows"),
    ...(options.log ? { log: options.log } : {}),
  });
  const table = buildFunctionTable(app.flows.names());
  const orchestrations: Record<string, OrchestratorGenerator> = {};
  const activities: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const fn of table) {
    if (fn.kind === "orchestration") orchestrations[fn.name] = fn.handler;
    if (fn.kind === "activity") activities[fn.name] = (input) => fn.handler(input, app);
  }
  const runtime = new LocalDurableRuntime({
    stateDir: options.stateDir ?? path.join(root, ".flowops", "durable"),
    orchestrations,
    activities,
    maxConcurrentActivities: hostSettings.maxConcurrentActivities,
    log: app.log,
  });
  const invocation: Invocation = { app, client: runtime };

  const pollers: QueuePoller[] = [];
  const queueFunctions = table.filter((fn): fn is QueueFunction => fn.kind === "queue");
  if (queueFunctions.length > 0) {
    if (hasStorage(settings)) {
      const service = createQueueServiceClient(settings);
      for (const fn of queueFunctions) pollers.push(new QueuePoller(service, fn, invocation, hostSettings));
      await Promise.all(pollers.map((poller) => poller.start()));
    } else {
      app.log(
        "warning",
        "queue triggers are off: set AzureWebJobsStorage (UseDevelopmentStorage=true for Azurite)",
      );
    }
  }
  const http = httpSettingsFrom(settings);
  const httpApp = createHttpApp({
    mounts: [
      {
        path: "/",
        app: functionRoutes(
          table.filter((fn): fn is HttpFunction => fn.kind === "http"),
          () => invocation,
        ),
      },
      ...(typeof options.mounts === "function" ? options.mounts(app) : (options.mounts ?? [])),
    ],
    log: app.log,
    ...(options.verbose ? { verbose: true } : {}),
    ...(http.maxInFlight ? { maxInFlight: http.maxInFlight } : {}),
    notFound: (method, path) => `no route ${method} ${path.slice(0, 200)}: ${FUNCTION_ROUTES}`,
  });
  const server = await listenHttpApp(httpApp, {
    port: options.port ?? 7071,
    host: options.host ?? "127.0.0.1",
    ...(http.allowedHosts ? { allowedHosts: http.allowedHosts } : {}),
    ...(http.baseUrl ? { baseUrl: http.baseUrl } : {}),
  });
  const url = server.url;
  const resumed = runtime.resume();
  if (resumed > 0) app.log("information", `resumed ${resumed} unfinished orchestration(s)`);

  return {
    url,
    app,
    runtime,
    settings: hostSettings,
    queues: pollers.map((poller) => poller.name),
    async stop() {
      runtime.stop();
      await Promise.all(pollers.map((poller) => poller.stop()));
      await server.close();
      await app.close();
    },
  };
}

function hasStorage(settings: NodeJS.ProcessEnv): boolean {
  return Boolean(
    settings["AzureWebJobsStorage"] ||
      settings["AzureWebJobsStorage__queueServiceUri"] ||
      settings["AzureWebJobsStorage__accountName"],
  );
}
