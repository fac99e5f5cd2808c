import path from "node:path";
import {
  FINAL_STATUSES,
  InstanceExistsError,
  type InstanceStatus,
  type OrchestrationClient,
} from "../../app/orchestration-client.js";
import {
  ActionType,
  createOrchestrator,
  type HistoryEvent,
  HistoryEventType,
  historyEvents,
  type OrchestratorAction,
  type OrchestratorGenerator,
  type OrchestratorHandler,
  orchestrationContext,
  orchestrationInput,
  orchestratorErrorMessage,
} from "./durable-internals.js";
import { type InstanceRecord, InstanceStore } from "./instance-store.js";

export interface LocalDurableRuntimeOptions {
  /** Where instance histories are kept (survives restarts), e.g. `.flowops/durable`. */
  stateDir: string;
  orchestrations: Record<string, OrchestratorGenerator>;
  activities: Record<string, (input: unknown) => Promise<unknown>>;
  /** host.json `durableTask.maxConcurrentActivityFunctions`; default 32. */
  maxConcurrentActivities?: number;
  log?: (level: "information" | "warning" | "error", message: string) => void;
}

interface LiveInstance {
  record: InstanceRecord;
  handler: OrchestratorHandler;
  /** An episode (replay + new actions) is running; `again` asks for one more after it. */
  busy: boolean;
  again: boolean;
  /** Task ids whose activity is running in this process. */
  running: Set<number>;
}

/**
 * A small Durable Functions runtime for the local host. It drives the real orchestrator handler that
 * durable-functions builds from the generator, as the Durable extension does: it records history
 * (ExecutionStarted, TaskScheduled, TaskCompleted/TaskFailed, OrchestratorStarted/Completed), replays
 * it through the handler, schedules the activities named by the new actions, and handles
 * continueAsNew. Each history is saved under `stateDir` after every change, so after a crash
 * `resume()` replays unfinished instances and runs again only the activities that never completed.
 * Supports callActivity, Task.all/any and continueAsNew (what the flowops orchestrator uses).
 */
export class LocalDurableRuntime implements OrchestrationClient {
  private readonly store: InstanceStore;
  private readonly live = new Map<string, LiveInstance>();
  private readonly maxActivities: number;
  private activeActivities = 0;
  private readonly waiting: (() => void)[] = [];
  private stopped = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly options: LocalDurableRuntimeOptions) {
    this.store = new InstanceStore(path.resolve(options.stateDir), (message) => this.log("warning", message));
    this.maxActivities = options.maxConcurrentActivities ?? 32;
  }

  /** Picks up every unfinished instance (after a restart or a crash). */
  resume(): number {
    let resumed = 0;
    for (const record of this.store.all()) {
      if (FINAL_STATUSES.has(record.runtimeStatus)) continue;
      const instance = this.attach(record);
      this.log("information", `durable: resuming ${record.name} instance '${record.instanceId}'`);
      this.reschedulePending(instance);
      void this.kick(instance);
      resumed++;
    }
    return resumed;
  }

  async getStatus(instanceId: string): Promise<InstanceStatus | undefined> {
    const record = this.live.get(instanceId)?.record ?? this.store.load(instanceId);
    if (!record) return undefined;
    return {
      instanceId,
      runtimeStatus: record.runtimeStatus,
      ...(record.output !== undefined ? { output: record.output } : {}),
      createdTime: record.createdTime,
      lastUpdatedTime: record.lastUpdatedTime,
    };
  }

  async startNew(orchestration: string, options: { instanceId: string; input: unknown }): Promise<string> {
    if (!this.options.orchestrations[orchestration]) {
      throw new Error(`No orchestration named '${orchestration}' is registered.`);
    }
    if (this.live.has(options.instanceId) || this.store.load(options.instanceId)) {
      throw new InstanceExistsError(options.instanceId);
    }
    const now = new Date();
    const record: InstanceRecord = {
      instanceId: options.instanceId,
      name: orchestration,
      input: options.input,
      runtimeStatus: "Pending",
      history: [],
      createdTime: now.toISOString(),
      lastUpdatedTime: now.toISOString(),
      executions: 1,
    };
    this.store.save(record);
    const instance = this.attach(record);
    void this.kick(instance);
    return options.instanceId;
  }

  /** Resolves when no instance has work in flight (tests, benchmarks). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  /** Stops scheduling: running activities finish, their results are still recorded. */
  stop(): void {
    this.stopped = true;
  }

  private attach(record: InstanceRecord): LiveInstance {
    const generator = this.options.orchestrations[record.name];
    if (!generator) throw new Error(`No orchestration named '${record.name}' is registered.`);
    const instance: LiveInstance = {
      record,
      handler: createOrchestrator(generator),
      busy: false,
      again: false,
      running: new Set(),
    };
    this.live.set(record.instanceId, instance);
    return instance;
  }

  /** Runs an episode now, or once the current one is done. */
  private async kick(instance: LiveInstance): Promise<void> {
    if (instance.busy) {
      instance.again = true;
      return;
    }
    instance.busy = true;
    try {
      do {
        instance.again = false;
        await this.episode(instance);
      } while (instance.again && !this.stopped);
    } catch (error) {
      this.log("error", `durable: instance '${instance.record.instanceId}' broke: ${(error as Error).stack}`);
    } finally {
      instance.busy = false;
      this.checkIdle();
    }
  }

  /** One orchestrator step: replay the history, record and dispatch the new actions. */
  private async episode(instance: LiveInstance): Promise<void> {
    const record = instance.record;
    if (FINAL_STATUSES.has(record.runtimeStatus) || this.stopped) return;
    const now = new Date();
    if (record.history.length === 0) {
      record.history.push(
        historyEvents.orchestratorStarted(now),
        historyEvents.executionStarted(record.name, record.input, now),
      );
      record.runtimeStatus = "Running";
    } else {
      record.history.push(historyEvents.orchestratorStarted(now));
    }
    const history = markPlayed(record.history);
    let state: Awaited<ReturnType<OrchestratorHandler>>;
    try {
      state = await instance.handler(
        orchestrationInput(record.instanceId, history, record.input),
        orchestrationContext(record.name, (_level, ...args) =>
          this.log("information", `${record.name} '${record.instanceId}': ${args.map(String).join(" ")}`),
        ),
      );
    } catch (error) {
      record.runtimeStatus = "Failed";
      record.error = orchestratorErrorMessage(error);
      this.save(record);
      this.log("error", `durable: instance '${record.instanceId}' failed: ${record.error}`);
      return;
    }
    if (state.customStatus !== undefined) record.customStatus = state.customStatus;
    const actions = state.actions.flat();
    const continueAsNew = actions.find((action) => action.actionType === ActionType.ContinueAsNew);
    if (state.isDone && continueAsNew) {
      record.input = parseInput(continueAsNew.input);
      record.history = [];
      record.executions++;
      this.save(record);
      instance.again = true;
      return;
    }
    if (state.isDone) {
      record.runtimeStatus = "Completed";
      record.output = state.output;
      this.save(record);
      return;
    }
    const activities = actions.filter(
      (action) =>
        action.actionType === ActionType.CallActivity ||
        action.actionType === ActionType.CallActivityWithRetry,
    );
    const unsupported = actions.find(
      (action) => !activities.includes(action) && action.actionType !== ActionType.ContinueAsNew,
    );
    if (unsupported) {
      record.runtimeStatus = "Failed";
      record.error = `The local Durable runtime does not support action type ${unsupported.actionType}.`;
      this.save(record);
      return;
    }
    const scheduled = new Set(
      record.history
        .filter((event) => event.EventType === HistoryEventType.TaskScheduled)
        .map((event) => event.EventId),
    );
    const fresh: [number, OrchestratorAction][] = [];
    activities.forEach((action, id) => {
      if (!scheduled.has(id)) fresh.push([id, action]);
    });
    for (const [id, action] of fresh) {
      record.history.push(historyEvents.taskScheduled(id, action.functionName!, parseInput(action.input)));
    }
    record.history.push(historyEvents.orchestratorCompleted());
    this.save(record);
    for (const [id, action] of fresh)
      this.dispatch(instance, id, action.functionName!, parseInput(action.input));
  }

  /** After a restart: activities scheduled but never completed run again (they skip finished lines). */
  private reschedulePending(instance: LiveInstance): void {
    const history = instance.record.history;
    const done = new Set(
      history
        .filter(
          (event) =>
            event.EventType === HistoryEventType.TaskCompleted ||
            event.EventType === HistoryEventType.TaskFailed,
        )
        .map((event) => event.TaskScheduledId),
    );
    for (const event of history) {
      if (event.EventType === HistoryEventType.TaskScheduled && !done.has(event.EventId)) {
        this.dispatch(instance, event.EventId, event.Name!, parseInput(event.Input));
      }
    }
  }

  private dispatch(instance: LiveInstance, id: number, name: string, input: unknown): void {
    if (instance.running.has(id)) return;
    instance.running.add(id);
    void this.runActivity(name, input).then((outcome) => {
      instance.running.delete(id);
      const record = instance.record;
      if (FINAL_STATUSES.has(record.runtimeStatus)) return;
      record.history.push(
        outcome.ok
          ? historyEvents.taskCompleted(id, outcome.result)
          : historyEvents.taskFailed(id, outcome.message, outcome.name),
      );
      this.save(record);
      void this.kick(instance);
    });
  }

  private async runActivity(
    name: string,
    input: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; message: string; name: string }> {
    await this.acquire();
    try {
      const activity = this.options.activities[name];
      if (!activity) throw new Error(`No activity named '${name}' is registered.`);
      const started = performance.now();
      const result = await activity(input);
      if (process.env["FLOWOPS_DEBUG_ACTIVITIES"]) {
        this.log(
          "information",
          `activity ${name} ${JSON.stringify(input)} took ${(performance.now() - started).toFixed(0)} ms`,
        );
      }
      return { ok: true, result };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.log("warning", `durable: activity ${name} failed: ${failure.message}`);
      return { ok: false, message: failure.message, name: failure.name };
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.activeActivities < this.maxActivities) {
      this.activeActivities++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.activeActivities--;
  }

  private save(record: InstanceRecord): void {
    record.lastUpdatedTime = new Date().toISOString();
    this.store.save(record);
  }

  private isIdle(): boolean {
    for (const instance of this.live.values()) {
      if (instance.busy || instance.running.size > 0) return false;
      if (!FINAL_STATUSES.has(instance.record.runtimeStatus)) return false;
    }
    return true;
  }

  private checkIdle(): void {
    if (this.idleWaiters.size === 0 || !this.isIdle()) return;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }

  private log(level: "information" | "warning" | "error", message: string): void {
    this.options.log?.(level, message);
  }
}

/** Events of earlier episodes are replays (`IsPlayed`), as the extension marks them. */
function markPlayed(history: HistoryEvent[]): HistoryEvent[] {
  let last = -1;
  history.forEach((event, index) => {
    if (event.EventType === HistoryEventType.OrchestratorStarted) last = index;
  });
  return history.map((event, index) => (index < last ? { ...event, IsPlayed: true } : event));
}

/** Action inputs are values, except strings, which durable-functions JSON-encodes. */
function parseInput(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
