import type { CliContext } from "./cli-context.js";

/** Prints a value as indented JSON on stdout. */
export function printJson(context: CliContext, value: unknown): void {
  context.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
