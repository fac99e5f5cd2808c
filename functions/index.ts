/**
 * The Azure Functions app (Node.js v4 programming model, durable-functions v3): registers the app's
 * function table — for each flow under FLOWOPS_FLOWS its score, swagger and runs routes and its
 * `{flow}-runs` queue trigger; health, run status and lines; the bulk-run orchestration and its
 * activities. Everything here only adapts Azure's types to the plain handlers in `src/app`.
 *
 * Every cold start imports this module before its first request, so it loads only what registering
 * needs (`@azure/functions`, the flow names, the table): the HTTP app, the stores, the engine and
 * durable-functions' runtime are imported by the first invocation that uses them.
 */
import path from "node:path";
import { app, type InvocationContext } from "@azure/functions";
import type { AppContext } from "../src/app/app-context.js";
import { FlowCatalog } from "../src/app/flow-catalog.js";
import { buildFunctionTable, type HttpFunction } from "../src/app/function-table.js";
import { httpSettingsFrom } from "../src/http/http-settings.js";
import { skipWasmTierUp } from "../src/providers/openai/skip-wasm-tier-up.js";
import { functionsBaseUrl, handleHttpTrigger, toOrchestrationClient } from "./adapters.js";
import {
  durableClientInput,
  getDurableClient,
  registerActivity,
  registerOrchestration,
} from "./durable-registration.js";
import { once } from "./once.js";

app.setup({ enableHttpStream: true });
// undici's HTTP parser (WebAssembly) stays on V8's baseline compiler: ~25 MB less at the first request.
if (process.env["FLOWOPS_WASM_TIER_UP"] !== "1") skipWasmTierUp();

const flowsDir = process.env["FLOWOPS_FLOWS"] ?? path.join(process.cwd(), "flows");
let context: Promise<AppContext> | undefined;
/** The app's stores and flows, created on first use and shared by every invocation of this worker. */
function appContext(log?: InvocationContext): Promise<AppContext> {
  context ??= import("../src/app/app-context.js").then(({ createAppContext }) =>
    createAppContext({
      flowsDir,
      log: (level, message) =>
        level === "error"
          ? log?.error(message)
          : level === "warning"
            ? log?.warn(message)
            : log?.log(message),
    }),
  );
  context.catch(() => {
    context = undefined;
  });
  return context;
}

const noClient = toOrchestrationClient(undefined);
const table = buildFunctionTable(new FlowCatalog(flowsDir).names());
const { maxInFlight } = httpSettingsFrom(process.env);
/** The one HTTP app (src/http), built with the first request: every HTTP trigger below hands its request to it. */
const httpApp = once(async () =>
  (await import("./functions-http-app.js")).createFunctionsHttpApp(
    table.filter((fn): fn is HttpFunction => fn.kind === "http"),
    maxInFlight,
  ),
);
const baseUrl = functionsBaseUrl(process.env);

for (const fn of table) {
  switch (fn.kind) {
    case "http":
      app.http(fn.name, {
        methods: fn.methods,
        route: fn.route,
        authLevel: fn.authLevel,
        ...(fn.usesClient ? { extraInputs: [durableClientInput()] } : {}),
        // @azure/functions gives no signal for a caller that disconnects; the app stops a run on the
        // request's signal wherever the runtime provides one (flow serve, the local host).
        handler: async (request, invocation) =>
          handleHttpTrigger(await httpApp(), request, {
            baseUrl,
            invocation: async () => ({
              app: await appContext(invocation),
              client: fn.usesClient ? toOrchestrationClient(await getDurableClient(invocation)) : noClient,
            }),
          }),
      });
      break;
    case "queue":
      app.storageQueue(fn.name, {
        queueName: fn.queueName,
        connection: "AzureWebJobsStorage",
        extraInputs: [durableClientInput()],
        handler: async (message, invocation) => {
          const client = toOrchestrationClient(await getDurableClient(invocation));
          // Throwing lets the host retry (host.json maxDequeueCount) and then poison the message.
          await fn.handler(message, { app: await appContext(invocation), client });
        },
      });
      break;
    case "orchestration":
      registerOrchestration(fn.name, fn.handler);
      break;
    case "activity":
      registerActivity(fn.name, async (input: unknown, invocation: InvocationContext) =>
        fn.handler(input, await appContext(invocation)),
      );
      break;
  }
}
