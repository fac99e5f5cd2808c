import { createRequire } from "node:module";
import type { InvocationContext } from "@azure/functions";
import type { OrchestrationContext, Task } from "durable-functions";

/**
 * The pieces of durable-functions v3 that the Functions host's Durable extension normally drives: the
 * handler the library builds from an orchestrator generator (history in, actions out), its
 * orchestration input and context classes, and its history event classes. The package ships them in
 * `lib/src` without public types; this module gives them the few types the local runtime needs.
 */
const require = createRequire(import.meta.url);
const lib = (path: string) => require(`durable-functions/lib/src/${path}`) as Record<string, unknown>;

export enum HistoryEventType {
  ExecutionStarted = 0,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
}

export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  ContinueAsNew = 4,
}

/** A history event as durable-functions reads it (PascalCase, as the extension sends it). */
export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: Date;
  Name?: string;
  Input?: unknown;
  TaskScheduledId?: number;
  Result?: string;
  Reason?: string;
  Details?: string;
  TimerId?: number;
  [key: string]: unknown;
}

export interface OrchestratorAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
}

/** What the orchestrator handler returns: whether it is done, the actions so far, its output. */
export interface OrchestratorState {
  isDone: boolean;
  actions: OrchestratorAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export type OrchestratorGenerator = (context: OrchestrationContext) => Generator<Task, unknown, unknown>;
export type OrchestratorHandler = (input: unknown, context: InvocationContext) => Promise<OrchestratorState>;

const testing = lib("util/testingUtils.js") as {
  createOrchestrator(fn: OrchestratorGenerator): OrchestratorHandler;
  DurableOrchestrationInput: new (
    instanceId: string,
    history: HistoryEvent[],
    input: unknown,
    longRunningTimerIntervalDuration?: string,
    maximumShortTimerDuration?: string,
    defaultHttpAsyncRequestSleepTimeMillseconds?: number,
    schemaVersion?: number,
    isReplaying?: boolean,
    parentInstanceId?: string,
  ) => unknown;
  DummyOrchestrationContext: new (
    functionName?: string,
    invocationId?: string,
    logHandler?: (level: string, ...args: unknown[]) => void,
  ) => InvocationContext;
};

/** The handler durable-functions builds from a generator (what `df.app.orchestration` registers). */
export const createOrchestrator = testing.createOrchestrator;

/** Replay schema V1: actions as a flat list per step, as the Durable extension's V1 protocol reads them. */
export const REPLAY_SCHEMA_V1 = 0;

export function orchestrationInput(instanceId: string, history: HistoryEvent[], input: unknown): unknown {
  return new testing.DurableOrchestrationInput(
    instanceId,
    history,
    input,
    undefined,
    undefined,
    undefined,
    REPLAY_SCHEMA_V1,
  );
}

export function orchestrationContext(
  name: string,
  log: (level: string, ...args: unknown[]) => void,
): InvocationContext {
  return new testing.DummyOrchestrationContext(name, undefined, log);
}

type EventClass = new (options: Record<string, unknown>) => HistoryEvent;
const eventClass = (file: string) => lib(`history/${file}.js`)[file] as EventClass;
const events = {
  OrchestratorStartedEvent: eventClass("OrchestratorStartedEvent"),
  OrchestratorCompletedEvent: eventClass("OrchestratorCompletedEvent"),
  ExecutionStartedEvent: eventClass("ExecutionStartedEvent"),
  TaskScheduledEvent: eventClass("TaskScheduledEvent"),
  TaskCompletedEvent: eventClass("TaskCompletedEvent"),
  TaskFailedEvent: eventClass("TaskFailedEvent"),
};

/** History events built with durable-functions' own classes. */
export const historyEvents = {
  orchestratorStarted: (timestamp = new Date()) =>
    new events.OrchestratorStartedEvent({ eventId: -1, timestamp, isPlayed: false }),
  orchestratorCompleted: (timestamp = new Date()) =>
    new events.OrchestratorCompletedEvent({ eventId: -1, timestamp, isPlayed: false }),
  executionStarted: (name: string, input: unknown, timestamp = new Date()) =>
    new events.ExecutionStartedEvent({
      eventId: -1,
      timestamp,
      isPlayed: false,
      name,
      input: JSON.stringify(input ?? null),
    }),
  taskScheduled: (id: number, name: string, input: unknown, timestamp = new Date()) =>
    new events.TaskScheduledEvent({
      eventId: id,
      timestamp,
      isPlayed: false,
      name,
      input: JSON.stringify(input ?? null),
    }),
  taskCompleted: (id: number, result: unknown, timestamp = new Date()) =>
    new events.TaskCompletedEvent({
      eventId: -1,
      timestamp,
      isPlayed: false,
      taskScheduledId: id,
      result: JSON.stringify(result ?? null),
    }),
  taskFailed: (id: number, reason: string, details: string, timestamp = new Date()) =>
    new events.TaskFailedEvent({
      eventId: -1,
      timestamp,
      isPlayed: false,
      taskScheduledId: id,
      reason,
      details,
    }),
};

/** The message of an orchestrator failure (the library appends its state after a marker). */
export function orchestratorErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const marker = message.indexOf("\n\n$OutOfProcData$");
  return marker >= 0 ? message.slice(0, marker) : message.split("$OutOfProcData$")[0]!.trim();
}
