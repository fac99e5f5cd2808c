import { CommanderError } from "commander";
import { FlowopsError, NodeExecutionError } from "../core/errors.js";
import { redactSecrets } from "../telemetry/redact.js";

/** The `flowops` exit codes, documented in `flowops --help`. */
export const ExitCode = {
  /** Everything went well. */
  Ok: 0,
  /** The flow or run failed (a node threw, a model call failed), or flowops itself failed. */
  Failure: 1,
  /** The command line, the flow definition, the inputs or a connection file is wrong: fix and retry. */
  Usage: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the flow or run failed (a node or model call failed), or an internal error (see --verbose)
  2  usage or validation error: bad arguments, invalid flow, missing/ill-typed inputs, unknown connection`;

export interface ReportErrorOptions {
  stderr: { write(text: string): unknown };
  verbose: boolean;
}

/**
 * Prints an error the way a user needs it and returns the exit code. User errors (bad flow, inputs,
 * command line) are one clear message without a stack; node failures name the node and what it threw;
 * anything else is an internal error whose stack is shown only under `--verbose`.
 */
export function reportError(error: unknown, options: ReportErrorOptions): ExitCodeValue {
  const { verbose } = options;
  // Messages from SDKs and nodes may quote credentials: they are redacted before anything is printed.
  const stderr = { write: (text: string) => options.stderr.write(redactSecrets(text)) };
  if (error instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument...).
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof FlowopsError && error.isUserError) {
    stderr.write(`error: ${error.message}\n`);
    if (verbose && error.cause instanceof Error)
      stderr.write(`caused by: ${describeCause(error.cause, true)}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof NodeExecutionError || (error instanceof FlowopsError && error.code !== "Internal")) {
    stderr.write(`error: ${error.message}\n`);
    if (error.cause instanceof Error && !error.message.includes(error.cause.message)) {
      stderr.write(`caused by: ${describeCause(error.cause, verbose)}\n`);
    } else if (verbose && error.cause instanceof Error) {
      stderr.write(`caused by: ${describeCause(error.cause, true)}\n`);
    }
    if (verbose && error.stack) stderr.write(`${error.stack}\n`);
    return ExitCode.Failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`error: internal error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  else stderr.write("(run again with --verbose to see the stack trace)\n");
  return ExitCode.Failure;
}

function describeCause(cause: Error, withStack: boolean): string {
  return withStack && cause.stack ? cause.stack : `${cause.name}: ${cause.message}`;
}
