import type { OrchestrationContext, Task } from "durable-functions";
import { runQueueName } from "../stores/queue-messages.js";
import type { AppContext } from "./app-context.js";
import { bulkRunOrchestrator } from "./bulk-run-orchestrator.js";
import { ACTIVITIES, BULK_RUN_ORCHESTRATION, type RunChunkInput } from "./bulk-run-plan.js";
import type { OrchestrationClient } from "./orchestration-client.js";

/** What a handler gets besides its request: the app and a Durable client. */
export interface Invocation {
  app: AppContext;
  client: OrchestrationClient;
}

/**
 * What an HTTP function does; the one HTTP app (src/http/function-routes.ts) implements each operation,
 * so every route of this table is served the same way by Azure and by the local host.
 */
export type HttpOperation =
  | "score"
  | "swagger"
  | "start-run"
  | "health"
  | "endpoint"
  | "run-status"
  | "run-lines"
  | "flows-not-found";

export interface HttpFunction {
  kind: "http";
  name: string;
  methods: ("GET" | "POST")[];
  /** Azure route template under `/api` (`flows/chat`, `runs/{name}`). */
  route: string;
  authLevel: "anonymous" | "function";
  /** Whether the handler needs the Durable client (Azure adds the binding only where needed). */
  usesClient: boolean;
  operation: HttpOperation;
  /** The flow the route serves (score, swagger, start-run). */
  flow?: string;
}

export interface QueueFunction {
  kind: "queue";
  name: string;
  flow: string;
  queueName: string;
  /** Throws to have the message retried, then poisoned. */
  handler(message: unknown, invocation: Invocation): Promise<unknown>;
}

export interface OrchestrationFunction {
  kind: "orchestration";
  name: string;
  handler: (context: OrchestrationContext) => Generator<Task, unknown, unknown>;
}

export interface ActivityFunction {
  kind: "activity";
  name: string;
  handler(input: unknown, app: AppContext): Promise<unknown>;
}

export type AppFunction = HttpFunction | QueueFunction | OrchestrationFunction | ActivityFunction;

/**
 * The ONE table of what the app registers: for each flow, its score, swagger and runs routes and its
 * `{flow}-runs` queue; once, health, run status and lines, the bulk-run orchestration and its
 * activities. `functions/index.ts` registers it with Azure Functions and `src/host` serves it
 * locally, so the two cannot drift apart. Building it loads nothing heavy: each handler imports its
 * module (runs, stores, the engine) on its first call, so a Functions cold start pays for what it runs.
 */
export function buildFunctionTable(flows: readonly string[]): AppFunction[] {
  const table: AppFunction[] = [];
  for (const flow of flows) {
    const id = functionId(flow);
    const queueName = runQueueName(flow);
    table.push(
      {
        kind: "http",
        name: `score-${id}`,
        methods: ["POST"],
        route: `flows/${flow}`,
        authLevel: "function",
        usesClient: false,
        operation: "score",
        flow,
      },
      {
        kind: "http",
        name: `swagger-${id}`,
        methods: ["GET"],
        route: `flows/${flow}/swagger.json`,
        authLevel: "function",
        usesClient: false,
        operation: "swagger",
        flow,
      },
      {
        kind: "http",
        name: `runs-${id}`,
        methods: ["POST"],
        route: `flows/${flow}/runs`,
        authLevel: "function",
        usesClient: true,
        operation: "start-run",
        flow,
      },
      {
        kind: "queue",
        name: `queue-${id}`,
        flow,
        queueName,
        handler: async (message, { app, client }) =>
          (await import("./queue-handler.js")).handleRunMessage(app, client, flow, queueName, message),
      },
    );
  }
  table.push(
    {
      kind: "http",
      name: "health",
      methods: ["GET"],
      route: "health",
      authLevel: "anonymous",
      usesClient: false,
      operation: "health",
    },
    {
      kind: "http",
      name: "endpoint",
      methods: ["POST"],
      route: "endpoints/{endpoint}",
      authLevel: "function",
      usesClient: false,
      operation: "endpoint",
    },
    {
      kind: "http",
      name: "run-status",
      methods: ["GET"],
      route: "runs/{name}",
      authLevel: "function",
      usesClient: true,
      operation: "run-status",
    },
    {
      kind: "http",
      name: "run-lines",
      methods: ["GET"],
      route: "runs/{name}/lines",
      authLevel: "function",
      usesClient: false,
      operation: "run-lines",
    },
    {
      // Last: any other path under flows/ gets a JSON 404 naming the flows served.
      kind: "http",
      name: "flows-not-found",
      methods: ["GET", "POST"],
      route: "flows/{*path}",
      authLevel: "function",
      usesClient: false,
      operation: "flows-not-found",
    },
    { kind: "orchestration", name: BULK_RUN_ORCHESTRATION, handler: bulkRunOrchestrator },
    {
      kind: "activity",
      name: ACTIVITIES.prepare,
      handler: async (input, app) =>
        (await import("./activities/prepare-run.js")).prepareRun(app, input as { run: string }),
    },
    {
      kind: "activity",
      name: ACTIVITIES.chunk,
      handler: async (input, app) =>
        (await import("./activities/run-chunk.js")).runChunk(app, input as RunChunkInput),
    },
    {
      kind: "activity",
      name: ACTIVITIES.finish,
      handler: async (input, app) =>
        (await import("./activities/finish-bulk-run.js")).finishBulkRun(app, input as { run: string }),
    },
    {
      kind: "activity",
      name: ACTIVITIES.fail,
      handler: async (input, app) =>
        (await import("./activities/fail-bulk-run.js")).failBulkRun(
          app,
          input as { run: string; error: string },
        ),
    },
  );
  return table;
}

/** A function name part from a flow name (Azure: letters, digits, '_' and '-'). */
function functionId(flow: string): string {
  return flow.replace(/[^A-Za-z0-9_-]/g, "-");
}
