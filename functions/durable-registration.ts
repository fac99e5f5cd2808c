import { app, type FunctionInput, type InvocationContext, input, trigger } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { DurableHandler, OrchestratorGenerator } from "./durable-runtime.js";
import { once } from "./once.js";

/**
 * Durable Functions registrations that do not load durable-functions. The Functions host reads the
 * registrations when the worker starts; durable-functions 3.5.0 (pinned exactly) makes them with
 * `@azure/functions` alone — `df.app.orchestration(name, generator)` is `app.generic(name, { trigger:
 * trigger.generic({ type: "orchestrationTrigger" }), handler })`, `df.app.activity` the same with an
 * `activityTrigger`, `df.input.durableClient()` is `input.generic({ type: "durableClient" })` — while its
 * runtime (replay, the Durable client with axios, moment, lodash and validator) is needed only when an
 * invocation runs. So these build the same registrations, and the handlers import the runtime
 * (`durable-runtime.ts`) on their first call. `durable-registration.test.ts` compares both ways.
 */

/** durable-functions' runtime, imported once, on first use. */
export const durableRuntime = once(() => import("./durable-runtime.js"));

/** What `df.input.durableClient()` returns. */
export function durableClientInput(): FunctionInput {
  return input.generic({ type: "durableClient" });
}

/** What `df.getClient(context)` returns, for a function registered with `durableClientInput()`. */
export async function getDurableClient(context: InvocationContext): Promise<DurableClient> {
  return (await durableRuntime()).getClient(context);
}

/** Registers what `df.app.orchestration(name, generator)` registers. */
export function registerOrchestration(name: string, generator: OrchestratorGenerator): void {
  const handler = once(async () => (await durableRuntime()).createOrchestrator(generator));
  app.generic(name, {
    trigger: trigger.generic({ type: "orchestrationTrigger" }),
    handler: async (triggerInput, context) => (await handler())(triggerInput, context),
  });
}

/** Registers what `df.app.activity(name, { handler })` registers. */
export function registerActivity(name: string, activity: DurableHandler): void {
  const handler = once(async () => (await durableRuntime()).wrapActivityHandler(activity));
  app.generic(name, {
    trigger: trigger.generic({ type: "activityTrigger" }),
    handler: async (triggerInput, context) => (await handler())(triggerInput, context),
  });
}
