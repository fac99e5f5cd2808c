import type { OrchestrationContext, Task } from "durable-functions";
import {
  ACTIVITIES,
  type BulkRunInput,
  type BulkRunPlan,
  type BulkRunSummary,
  MAX_CHUNK_ATTEMPTS,
} from "./bulk-run-plan.js";

type Orchestration = Generator<Task, BulkRunSummary | undefined, unknown>;

/**
 * The bulk run as a Durable orchestration (instance id = run name). Prepare cuts the data into chunk
 * blobs; the chunks fan out to activities `window` at a time (each runs the flow over its lines, then
 * the evaluation flows over those results); finish runs the aggregations and stores the metrics. After
 * `chunksPerExecution` chunks it continues as new, so its history stays small whatever the data size.
 * Deterministic: it only reads its input and task results.
 */
export function* bulkRunOrchestrator(context: OrchestrationContext): Orchestration {
  const input = context.df.getInput() as BulkRunInput;
  let plan = input.plan;
  if (!plan) {
    try {
      plan = (yield context.df.callActivity(ACTIVITIES.prepare, { run: input.run })) as BulkRunPlan;
    } catch (error) {
      return yield* failRun(context, input.run, error);
    }
  }
  let next = input.nextChunk ?? 0;
  let budget = plan.chunksPerExecution;
  while (next < plan.chunks) {
    if (budget <= 0) {
      context.df.continueAsNew({ run: input.run, plan, nextChunk: next } satisfies BulkRunInput);
      return undefined;
    }
    const count = Math.min(plan.window, plan.chunks - next, budget);
    const chunks = Array.from({ length: count }, (_, index) => next + index);
    context.df.setCustomStatus({ chunks: `${next}-${next + count - 1} of ${plan.chunks}` });
    const failure = yield* runChunks(context, plan, chunks);
    if (failure !== undefined) return yield* failRun(context, input.run, failure);
    next += count;
    budget -= count;
  }
  try {
    return (yield context.df.callActivity(ACTIVITIES.finish, { run: input.run })) as BulkRunSummary;
  } catch (error) {
    return yield* failRun(context, input.run, error);
  }
}

/**
 * Runs chunks in parallel; a chunk whose activity failed is tried again (up to MAX_CHUNK_ATTEMPTS)
 * once the others of its attempt have settled, so a chunk never runs twice at the same time. Returns
 * the last error when a chunk kept failing.
 */
function* runChunks(
  context: OrchestrationContext,
  plan: BulkRunPlan,
  chunks: number[],
): Generator<Task, unknown, unknown> {
  let pending = chunks;
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_CHUNK_ATTEMPTS && pending.length > 0; attempt++) {
    const tasks = pending.map((chunk) =>
      context.df.callActivity(ACTIVITIES.chunk, {
        run: plan.run,
        chunk,
        concurrency: plan.chunkConcurrency,
      }),
    );
    try {
      yield context.df.Task.all(tasks);
      return undefined;
    } catch (error) {
      lastError = error;
      for (const task of tasks) {
        if (task.isCompleted || task.isFaulted) continue;
        try {
          yield task;
        } catch {
          // counted below
        }
      }
      pending = pending.filter((_, index) => tasks[index]!.isFaulted);
      if (!context.df.isReplaying) {
        context.log(
          `run ${plan.run}: chunk(s) ${pending.join(", ")} failed (attempt ${attempt}): ${message(error)}`,
        );
      }
    }
  }
  return pending.length > 0 ? lastError : undefined;
}

function* failRun(
  context: OrchestrationContext,
  run: string,
  error: unknown,
): Generator<Task, BulkRunSummary, unknown> {
  return (yield context.df.callActivity(ACTIVITIES.fail, { run, error: message(error) })) as BulkRunSummary;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
