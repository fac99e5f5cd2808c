import type { Telemetry } from "./setup-telemetry.js";

let current: Telemetry | undefined;

/** The process's telemetry set-up, if setupTelemetry ran. Kept apart so that flushing loads no SDK. */
export function currentTelemetry(): Telemetry | undefined {
  return current;
}

export function setCurrentTelemetry(telemetry: Telemetry | undefined): void {
  current = telemetry;
}

/** Exports the pending spans of the current setup, if any (a CLI command calls it before exiting). */
export async function flushTelemetry(): Promise<void> {
  await current?.flush();
}
