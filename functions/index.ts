/**
 * The Azure Functions app (Node.js v4 programming model, durable-functions v3): registers the app's
 * function table — for each flow under FLOWOPS_FLOWS its score, swagger and runs routes and its
 * `{flow}-runs` queue trigger; health, run status and lines; the bulk-run orchestration and its
 * activities. Everything here only adapts Azure's types to the plain handlers in `src/app`.
 */
import path from "node:path";
import { app, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { type AppContext, createAppContext } from "../src/app/app-context.js";
import { FlowCatalog } from "../src/app/flow-catalog.js";
import { buildFunctionTable, type HttpFunction } from "../src/app/function-table.js";
import { createHttpApp } from "../src/http/create-http-app.js";
import { FUNCTION_ROUTES, functionRoutes } from "../src/http/function-routes.js";
import { httpSettingsFrom } from "../src/http/http-settings.js";
import { functionsBaseUrl, handleHttpTrigger, toOrchestrationClient } from "./adapters.js";

app.setup({ enableHttpStream: true });

const flowsDir = process.env["FLOWOPS_FLOWS"] ?? path.join(process.cwd(), "flows");
let context: Promise<AppContext> | undefined;
/** The app's stores and flows, created on first use and shared by every invocation of this worker. */
function appContext(log?: InvocationContext): Promise<AppContext> {
  context ??= createAppContext({
    flowsDir,
    log: (level, message) =>
      level === "error" ? log?.error(message) : level === "warning" ? log?.warn(message) : log?.log(message),
  });
  context.catch(() => {
    context = undefined;
  });
  return context;
}

const noClient = toOrchestrationClient(undefined);
const table = buildFunctionTable(new FlowCatalog(flowsDir).names());
const { maxInFlight } = httpSettingsFrom(process.env);
/** The one HTTP app (src/http): every HTTP trigger below hands its request to it. */
const httpApp = createHttpApp({
  mounts: [{ path: "/", app: functionRoutes(table.filter((fn): fn is HttpFunction => fn.kind === "http")) }],
  ...(maxInFlight ? { maxInFlight } : {}),
  notFound: (method, path) => `no route ${method} ${path.slice(0, 200)}: ${FUNCTION_ROUTES}`,
});
const baseUrl = functionsBaseUrl(process.env);

for (const fn of table) {
  switch (fn.kind) {
    case "http":
      app.http(fn.name, {
        methods: fn.methods,
        route: fn.route,
        authLevel: fn.authLevel,
        ...(fn.usesClient ? { extraInputs: [df.input.durableClient()] } : {}),
        // @azure/functions gives no signal for a caller that disconnects; the app stops a run on the
        // request's signal wherever the runtime provides one (flow serve, the local host).
        handler: (request, invocation) =>
          handleHttpTrigger(httpApp, request, {
            baseUrl,
            invocation: async () => ({
              app: await appContext(invocation),
              client: fn.usesClient ? toOrchestrationClient(df.getClient(invocation)) : noClient,
            }),
          }),
      });
      break;
    case "queue":
      app.storageQueue(fn.name, {
        queueName: fn.queueName,
        connection: "AzureWebJobsStorage",
        extraInputs: [df.input.durableClient()],
        handler: async (message, invocation) => {
          const client = toOrchestrationClient(df.getClient(invocation));
          // Throwing lets the host retry (host.json maxDequeueCount) and then poison the message.
          await fn.handler(message, { app: await appContext(invocation), client });
        },
      });
      break;
    case "orchestration":
      df.app.orchestration(fn.name, fn.handler);
      break;
    case "activity":
      df.app.activity(fn.name, {
        handler: async (input: unknown, invocation: InvocationContext) =>
          fn.handler(input, await appContext(invocation)),
      });
      break;
  }
}
