import type { InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
// durable-functions 3.5.0 (pinned exactly in package.json): the handler `df.app.orchestration` builds from a
// generator lives in this file of the package, which has no public types for it (src/host uses it too).
import { createOrchestrator as buildOrchestrator } from "durable-functions/lib/src/util/testingUtils.js";

/**
 * durable-functions' runtime: history replay for orchestrations, the activity wrapper and the Durable
 * client (axios, moment, lodash, validator). `durable-registration.ts` imports this module on the first
 * invocation that needs it, never at start-up.
 */

export type OrchestratorGenerator = (
  context: df.OrchestrationContext,
) => Generator<df.Task, unknown, unknown>;
export type DurableHandler = (triggerInput: unknown, context: InvocationContext) => Promise<unknown>;

/** The handler `df.app.orchestration(name, generator)` registers. */
export const createOrchestrator = buildOrchestrator as (generator: OrchestratorGenerator) => DurableHandler;

/** The handler `df.app.activity(name, { handler })` registers. */
export const wrapActivityHandler = (
  df.app as unknown as { wrapActivityHandler(handler: DurableHandler): DurableHandler }
).wrapActivityHandler;

/** `df.getClient`: the Durable client of an invocation with a durable client input binding. */
export const getClient = df.getClient;
