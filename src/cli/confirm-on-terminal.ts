import { createInterface } from "node:readline/promises";
import { UserError } from "../core/errors.js";
import type { CliContext } from "./cli-context.js";

/**
 * Asks `question` on stderr and reads the answer (y/yes) from stdin; without a terminal, throws a
 * UserError saying that `what` (e.g. "deleting a run") needs --yes instead.
 */
export async function confirmOnTerminal(
  context: CliContext,
  question: string,
  what: string,
): Promise<boolean> {
  const stdin = context.io.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
  if (!stdin.isTTY)
    throw new UserError("ConfirmationRequired", `${what} needs confirmation: add --yes.`, { field: "--yes" });
  const prompt = createInterface({ input: stdin, output: context.io.stderr as NodeJS.WritableStream });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
