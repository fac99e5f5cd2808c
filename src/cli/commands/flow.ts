import cluster from "node:cluster";
import { statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { loadConnectionCatalog } from "../../connections/connection-catalog.js";
import { createConnectionStore } from "../../connections/create-connection-store.js";
import { flowopsHome } from "../../core/flowops-home.js";
import { checkFlow, formatDiagnostic, InputError, NodeExecutionError } from "../../core/index.js";
import { packageInfo } from "../../core/package-info.js";
import type { FlowFunction } from "../../flow-function.js";
import { httpSettingsFrom } from "../../http/http-settings.js";
import { loadFlow } from "../../load-flow.js";
import { isOfflineMode } from "../../providers/create-model-port.js";
import { createFlowServer, startServeCluster } from "../../serve/index.js";
import { setupTelemetry } from "../../telemetry/index.js";
import { loadTelemetrySdk } from "../../telemetry/setup-telemetry.js";
import { checkInputNames } from "../check-input-names.js";
import type { CliContext } from "../cli-context.js";
import { runInteractiveChat } from "../interactive-chat.js";
import { parseInit } from "../parse-init.js";
import { parseKeyValues } from "../parse-key-values.js";
import { parsePort } from "../parse-port.js";
import { printJson } from "../print-json.js";
import { ExitCode } from "../report-error.js";
import { registerFlowInitCommand } from "./flow-init.js";

/** `flowops flow init | validate | test | serve`. */
export function registerFlowCommands(program: Command, context: CliContext): void {
  const flow = program.command("flow").description("create, validate, test and serve a flow (flow.dag.yaml)");
  registerFlowInitCommand(flow, context);

  flow
    .command("validate")
    .description("check a flow without calling any model: every problem with file:line:col, node and fix")
    .requiredOption("--source <path>", "the flow folder or its flow.dag.yaml")
    .addHelpText(
      "after",
      `
Connections are checked against the store (FLOWOPS_CONNECTION_* and FLOWOPS_HOME) unless
FLOWOPS_LLM_MODE is replay or mock, where models are not called. Exits 2 when the flow has problems.

Examples:
  $ flowops flow validate --source flows/named-entity-recognition
  $ flowops flow validate --source my-flow/flow.dag.yaml`,
    )
    .action(async (options: { source: string }) => {
      const env = context.io.env;
      const offline = isOfflineMode(env["FLOWOPS_LLM_MODE"]);
      const connections = offline ? undefined : await loadConnectionCatalog(createConnectionStore(env));
      if (offline)
        context.debug(`connections not checked: FLOWOPS_LLM_MODE=${env["FLOWOPS_LLM_MODE"]} calls no model`);
      const { definition, diagnostics } = await checkFlow(
        path.resolve(options.source),
        connections ? { connections } : {},
      );
      const file = definition ? path.basename(definition.file) : "flow.dag.yaml";
      if (diagnostics.length > 0) {
        const shown = diagnostics.map((d) => ({
          ...d,
          ...(d.file ? { file: path.relative(process.cwd(), d.file) || d.file } : {}),
        }));
        const n = diagnostics.length;
        context.io.stderr.write(`✗ ${file} has ${n} problem${n === 1 ? "" : "s"}:\n`);
        for (const d of shown) context.io.stderr.write(`  - ${formatDiagnostic(d)}\n`);
        context.exitCode = ExitCode.Usage;
        return;
      }
      const nodes = definition?.nodes.length ?? 0;
      context.io.stdout.write(`✓ ${file} is valid (${nodes} node${nodes === 1 ? "" : "s"})\n`);
    });

  flow
    .command("test")
    .description("run a flow (or one node) once and print its outputs as one JSON object on stdout")
    .requiredOption("--flow <path>", "the flow folder or its flow.dag.yaml")
    .option(
      "--inputs <key=value...>",
      "flow inputs (coerced to their declared types); defaults fill the rest",
    )
    .option("--node <name>", "run only this node; --inputs then gives the values of its references")
    // biome-ignore lint/suspicious/noTemplateCurlyInString: promptflow's variant syntax, not a template
    .option("--variant <ref>", "run with a variant of a node, e.g. '${NER_LLM.variant_1}'")
    .option("--interactive", "chat with a chat flow: one question per line on stdin, answers streamed")
    .option(
      "--init <key=value...>",
      "a flex class entry's init arguments, or one JSON file of them (default: the flow's sample.init)",
    )
    .addHelpText(
      "after",
      `
Logs go to stderr; with FLOWOPS_LLM_MODE=replay model answers come from <flow>/.recordings.
Python nodes run in python3 workers (FLOWOPS_PYTHON picks the interpreter).

Examples:
  $ flowops flow test --flow flows/named-entity-recognition --inputs entity_type="job title" text="..."
  $ flowops flow test --flow flows/named-entity-recognition --variant '\${NER_LLM.variant_1}'
  $ flowops flow test --flow flows/named-entity-recognition --node cleansing --inputs entities_str="a, b"
  $ flowops flow test --flow flows/chat --interactive`,
    )
    .action(
      async (options: {
        flow: string;
        inputs?: string[];
        node?: string;
        variant?: string;
        interactive?: boolean;
        init?: string[];
      }) => {
        const inputs = parseKeyValues(options.inputs, "--inputs");
        const init = parseInit(options.init);
        const fn = await loadFlow(options.flow, {
          env: context.io.env,
          // A local test: image inputs may be files inside the flow folder.
          imageRoots: [flowFolder(options.flow)],
          ...(options.variant ? { variant: options.variant } : {}),
          ...(init ? { init } : {}),
        });
        context.debug(`flow ${fn.definition.file} loaded (${fn.definition.nodes.length} nodes)`);
        try {
          await testFlow(fn, inputs, options, context);
        } finally {
          await fn.close();
        }
      },
    );

  flow
    .command("serve")
    .description("serve a flow over HTTP: POST /score, GET /health, GET /swagger.json")
    .requiredOption("--source <path>", "the flow folder or its flow.dag.yaml")
    .option("--port <port>", "port to listen on (0 picks a free one)", "8080")
    .option("--host <host>", "interface to listen on (0.0.0.0 for all)", "127.0.0.1")
    .option("--workers <n>", "worker processes sharing the port (node:cluster), e.g. one per core", "1")
    .option(
      "--init <key=value...>",
      "a flex class entry's init arguments, or one JSON file of them (default: the flow's sample.init)",
    )
    .addHelpText(
      "after",
      `
POST /score takes the flow's inputs as a JSON object and returns its outputs as JSON; with
'Accept: text/event-stream' it streams server-sent events (promptflow's format: one event with the
outputs that do not stream, then {"<output>": "<chunk>"} deltas). Bad JSON or inputs get a 400 naming
the field. Stop with Ctrl+C.

Examples:
  $ flowops flow serve --source flows/chat --port 8080
  $ flowops flow serve --source flows/chat --port 8080 --host 0.0.0.0 --workers 4
  $ curl -s localhost:8080/score -H 'content-type: application/json' -d '{"question": "Hi"}'
  $ curl -N localhost:8080/score -H 'accept: text/event-stream' -H 'content-type: application/json' \\
      -d '{"question": "Hi"}'

Only JSON bodies are accepted (415 otherwise). Bound to loopback, the server answers only to
localhost, 127.x.x.x or [::1] Host values: FLOWOPS_ALLOWED_HOSTS=name:port,... adds others.
FLOWOPS_MAX_IN_FLIGHT bounds the requests running at once (503 with Retry-After beyond; default 1024).`,
    )
    .action(
      async (options: { source: string; port: string; host: string; workers: string; init?: string[] }) => {
        const port = parsePort(options.port);
        const workers = Number(options.workers);
        if (!Number.isInteger(workers) || workers < 1) {
          throw new InputError(
            "InvalidArgument",
            `--workers '${options.workers}' is not a count: give 1 or more.`,
            {
              field: "--workers",
            },
          );
        }
        const env = context.io.env;
        if (workers > 1 && cluster.isPrimary) {
          const served = await startServeCluster({
            workers,
            exec: path.join(packageInfo().root, "bin/flowops.js"),
            args: [
              "flow",
              "serve",
              "--source",
              path.resolve(options.source),
              "--port",
              String(port),
              "--host",
              options.host,
              ...(options.init
                ? [
                    "--init",
                    ...options.init.map((value) => (value.includes("=") ? value : path.resolve(value))),
                  ]
                : []),
            ],
            env,
            host: options.host,
          });
          context.log(
            `serving ${options.source} at ${served.url} with ${workers} workers (POST /score, GET /health, GET /swagger.json); Ctrl+C stops`,
          );
          context.io.onReady?.({ url: served.url });
          await waitForStop(context.io.signal);
          context.log("stopping");
          await served.stop();
          return;
        }
        // Flow and node spans are parented explicitly; async context tracking would cost every request.
        const propagateContext = /^(1|on|true|yes)$/i.test(env["FLOWOPS_TRACE_CONTEXT"] ?? "");
        await loadTelemetrySdk();
        const telemetry = setupTelemetry({ home: flowopsHome(env), env, propagateContext });
        const init = parseInit(options.init);
        const fn = await loadFlow(options.source, { env, ...(init ? { init } : {}) });
        const server = createFlowServer({
          flow: fn,
          version: packageInfo().version,
          log: (level, message) => context.log(level === "information" ? message : `[${level}] ${message}`),
          verbose: context.verbose,
          ...httpSettingsFrom(env),
        });
        const { url } = await server.listen(port, options.host);
        if (!cluster.isWorker) {
          const shown = path.relative(process.cwd(), fn.definition.file) || fn.definition.file;
          context.log(
            `serving ${shown} at ${url} (POST /score, GET /health, GET /swagger.json); Ctrl+C stops`,
          );
          context.io.onReady?.({ url });
        }
        await waitForStop(context.io.signal);
        if (!cluster.isWorker) context.log("stopping");
        await server.close();
        await telemetry
          .flush()
          .catch((error: unknown) => context.log(`traces not all saved: ${String(error)}`));
        // A cluster worker's IPC channel would keep it alive.
        if (cluster.isWorker) process.disconnect?.();
      },
    );
}

interface TestOptions {
  node?: string;
  interactive?: boolean;
}

/** `flow test` once the flow is loaded: chat, one node, or the whole flow. */
async function testFlow(
  fn: FlowFunction,
  inputs: Record<string, string>,
  options: TestOptions,
  context: CliContext,
): Promise<void> {
  const file = path.relative(process.cwd(), fn.definition.file) || fn.definition.file;
  if (options.interactive) {
    checkInputNames(inputs, Object.keys(fn.definition.inputs), file);
    const { failed, turns } = await runInteractiveChat(fn, inputs, context);
    if (failed > 0) {
      context.log(`${failed} of ${turns} turn${turns === 1 ? "" : "s"} failed (see the errors above)`);
      context.exitCode = ExitCode.Failure;
    }
    return;
  }
  if (options.node) {
    const record = await fn.runNode(options.node, inputs);
    if (record.status === "Failed") {
      throw new NodeExecutionError(
        record.error?.code ?? "NodeExecutionFailed",
        record.error?.message ?? "failed",
        {
          node: options.node,
        },
      );
    }
    printJson(context, record.output ?? null);
    return;
  }
  checkInputNames(inputs, Object.keys(fn.definition.inputs), file);
  const missing = Object.entries(fn.definition.inputs)
    .filter(
      ([name, input]) =>
        inputs[name] === undefined && (input.default === undefined || input.default === null),
    )
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new InputError(
      "InputNotFound",
      `missing required flow input${missing.length === 1 ? "" : "s"} ${missing.map((m) => `'${m}'`).join(", ")}: pass ${missing.map((m) => `${m}=...`).join(" ")} with --inputs.`,
      { field: missing[0]! },
    );
  }
  const outputs = await fn(inputs);
  printJson(context, outputs);
}

/** Resolves on the injected signal, or on SIGINT/SIGTERM for the real process. */
function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    if (signal) {
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", stop, { once: true });
      return;
    }
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** The flow folder of a `--flow` value (the folder, or the folder of its YAML file). */
function flowFolder(flow: string): string {
  const resolved = path.resolve(flow);
  return statSync(resolved, { throwIfNoEntry: false })?.isDirectory() ? resolved : path.dirname(resolved);
}
