import { readFileSync } from "node:fs";
import path from "node:path";

/** The host.json settings the local host honours, as the Functions host reads them. */
export interface HostSettings {
  /** Deliveries before a queue message goes to `{queue}-poison` (queues.maxDequeueCount, default 5). */
  maxDequeueCount: number;
  /** Messages fetched per poll (queues.batchSize, default 16). */
  batchSize: number;
  /** Delay before a failed message is visible again (queues.visibilityTimeout, default 0 s). */
  retryDelaySeconds: number;
  /** Longest wait between polls of an empty queue (queues.maxPollingInterval, default 2 s here). */
  maxPollingIntervalMs: number;
  /** Activities running at once (durableTask.maxConcurrentActivityFunctions, default 32). */
  maxConcurrentActivities: number;
}

/**
 * Reads `host.json` (when there is one) with the Functions host's environment overrides
 * (`AzureFunctionsJobHost__extensions__queues__maxDequeueCount`, ...).
 */
export function readHostSettings(root: string, env: NodeJS.ProcessEnv = process.env): HostSettings {
  let json: { extensions?: { queues?: Record<string, unknown>; durableTask?: Record<string, unknown> } } = {};
  try {
    json = JSON.parse(readFileSync(path.join(root, "host.json"), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const queues = json.extensions?.queues ?? {};
  const durable = json.extensions?.durableTask ?? {};
  const setting = (section: string, name: string, value: unknown): unknown =>
    env[`AzureFunctionsJobHost__extensions__${section}__${name}`] ?? value;
  return {
    maxDequeueCount: Number(setting("queues", "maxDequeueCount", queues["maxDequeueCount"] ?? 5)),
    batchSize: Number(setting("queues", "batchSize", queues["batchSize"] ?? 16)),
    retryDelaySeconds: timeSpanSeconds(
      setting("queues", "visibilityTimeout", queues["visibilityTimeout"] ?? "00:00:00"),
    ),
    maxPollingIntervalMs:
      timeSpanSeconds(setting("queues", "maxPollingInterval", queues["maxPollingInterval"] ?? "00:00:02")) *
      1000,
    maxConcurrentActivities: Number(
      setting(
        "durableTask",
        "maxConcurrentActivityFunctions",
        durable["maxConcurrentActivityFunctions"] ?? 32,
      ),
    ),
  };
}

/** `hh:mm:ss[.fff]` (a .NET TimeSpan, as host.json writes durations) or a number of seconds. */
export function timeSpanSeconds(value: unknown): number {
  if (typeof value === "number") return value;
  const text = String(value);
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!match) {
    const seconds = Number(text);
    if (Number.isFinite(seconds)) return seconds;
    throw new Error(`host.json: '${text}' is not a duration (use hh:mm:ss).`);
  }
  const [, days, hours, minutes, seconds] = match;
  return Number(days ?? 0) * 86_400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
