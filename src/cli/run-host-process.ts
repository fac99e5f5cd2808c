/**
 * `flowops start` (and `flowops flow ...`) straight from the TypeScript sources, with only those two
 * command groups loaded: `node --import tsx src/cli/run-host-process.ts start --port 0`. The
 * end-to-end tests and benchmarks run the local host (and `flow serve`) this way as child processes
 * they can `kill -9`, without a build and without loading the other command groups.
 */
import { Command } from "commander";
import { scrubbingWriter } from "../secrets/index.js";
import type { CliContext } from "./cli-context.js";
import { registerFlowCommands } from "./commands/flow.js";
import { registerStartCommand } from "./commands/start.js";
import { reportError } from "./report-error.js";

const verbose = process.argv.includes("--verbose");
// Logs and errors are scrubbed of secrets, as the CLI's are.
const stdout = scrubbingWriter(process.stdout, { patterns: false });
const stderr = scrubbingWriter(process.stderr);
const context: CliContext = {
  io: { stdout, stderr, stdin: process.stdin, env: process.env },
  verbose,
  exitCode: 0,
  log: (message) => stderr.write(`${message}\n`),
  debug: (message) => {
    if (verbose) stderr.write(`${message}\n`);
  },
};
const program = new Command("flowops").option("--verbose").exitOverride();
registerStartCommand(program, context);
registerFlowCommands(program, context);
try {
  await program.parseAsync(process.argv.slice(2), { from: "user" });
  process.exitCode = context.exitCode;
} catch (error) {
  process.exitCode = reportError(error, { stderr, verbose });
}
