import { Command } from "commander";
import { packageInfo } from "../core/package-info.js";
import { registerEnvironmentSecrets, scrubbingWriter } from "../secrets/index.js";
import { flushTelemetry } from "../telemetry/telemetry-state.js";
import type { CliContext, CliIo } from "./cli-context.js";
import { loadCommandGroups } from "./commands/index.js";
import { EXIT_CODES_HELP, reportError } from "./report-error.js";

/**
 * The `flowops` command. `argv` are the user's arguments (without `node` and the script); the output
 * streams, stdin, environment and a stop signal can be injected. Resolves with the exit code.
 */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  // Everything the CLI prints (results, logs, errors, served requests' logs) is scrubbed of secrets.
  const fullIo: CliIo = {
    stdout: scrubbingWriter(io.stdout ?? process.stdout, { patterns: false }),
    stderr: scrubbingWriter(io.stderr ?? process.stderr),
    stdin: io.stdin ?? process.stdin,
    env: io.env ?? process.env,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(io.onReady ? { onReady: io.onReady } : {}),
  };
  // Secrets in the environment (FLOWOPS_CONNECTION_*, *_API_KEY, connection strings) are known from the start.
  registerEnvironmentSecrets(fullIo.env);
  const verbose = argv.includes("--verbose");
  const context: CliContext = {
    io: fullIo,
    verbose,
    exitCode: 0,
    log: (message) => fullIo.stderr.write(`${message}\n`),
    debug: (message) => {
      if (verbose) fullIo.stderr.write(`${message}\n`);
    },
  };
  if (fullIo.env["FLOWOPS_LLM_MODE"] === "mock" && !argv.some((a) => a === "--help" || a === "-h")) {
    context.log(
      "note: FLOWOPS_LLM_MODE=mock: no model is called; every answer is a labelled placeholder, not a model's",
    );
  }
  let code: number;
  try {
    const program = await createProgram(context, argv);
    await program.parseAsync(argv, { from: "user" });
    code = context.exitCode;
  } catch (error) {
    code = reportError(error, { stderr: fullIo.stderr, verbose });
  }
  // Spans are exported in batches: save the last ones before the process exits.
  await flushTelemetry().catch((error: unknown) => context.debug(`traces not all saved: ${String(error)}`));
  return code;
}

/**
 * Builds the command tree for `argv`: every command group registers itself from `commands/index.ts`,
 * and only the groups the command line needs are loaded.
 */
export async function createProgram(context: CliContext, argv: readonly string[]): Promise<Command> {
  const { stdout, stderr } = context.io;
  const program = new Command("flowops")
    .description(
      "LLMOps for Prompt Flow compatible flows (flow.dag.yaml): validate, test and serve flows, manage connections, run and evaluate flows over data sets, run experiments with quality gates, register, deploy and compare flow versions.",
    )
    .version(packageInfo().version, "-V, --version")
    .option("--verbose", "show debug logs and stack traces of internal errors")
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `
Examples:
  $ flowops flow validate --source flows/named-entity-recognition
  $ flowops flow test --flow flows/chat --inputs question="What is Prompt Flow?"
  $ flowops flow serve --source flows/chat --port 8080
  $ flowops connection create --file aoai.yaml --set api_key=$AZURE_OPENAI_KEY

  Batch runs, evaluation and experiments:
  $ flowops run create --flow flows/named-entity-recognition --data flows/named-entity-recognition/data/ner-test.jsonl \\
      --column-mapping text='\${data.text}' entity_type='\${data.entity_type}' --name ner-test
  $ flowops run create --flow flows/evaluators/partial-match --data flows/named-entity-recognition/data/ner-test.jsonl \\
      --run ner-test --column-mapping groundtruth='\${data.results}' prediction='\${run.outputs.entities}' --name ner-test-eval
  $ flowops run show-metrics --name ner-test-eval
  $ flowops run visualize --name ner-test --output .flowops/reports/ner-test.html
  $ flowops experiment run flows/experiments/ner-experiment.yaml --output .flowops/reports/ner

Run 'flowops <command> --help' (e.g. 'flowops run create --help') for a command's options and examples.

Environment:
  FLOWOPS_HOME                  where connections, runs and traces are kept (default ~/.flowops)
  FLOWOPS_STORE                 azure: runs, the registry and deployments live in Cosmos DB and Blob Storage;
                                local: SQLite under FLOWOPS_HOME (unset: azure when COSMOS_ENDPOINT is set)
  FLOWOPS_CONNECTION_<NAME>     a connection as JSON (read-only; wins over stored ones)
  FLOWOPS_LLM_MODE              live (default), record, replay (model answers from <flow>/.recordings)
                                or mock (labelled placeholder answers, no model: try a new flow first)
  OTEL_EXPORTER_OTLP_ENDPOINT   also export traces over OTLP/HTTP
${EXIT_CODES_HELP}`,
    );
  for (const register of await loadCommandGroups(argv)) register(program, context);
  return program;
}
