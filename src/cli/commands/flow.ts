import { statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { loadConnectionCatalog } from "../../connections/connection-catalog.js";
import { createConnectionStore } from "../../connections/create-connection-store.js";
import { findChatHistoryInput } from "../../core/chat-history-input.js";
import { checkFlow, formatDiagnostic, InputError, NodeExecutionError } from "../../core/index.js";
import type { FlowFunction } from "../../flow-function.js";
import { loadFlow } from "../../load-flow.js";
import { isOfflineMode } from "../../providers/create-model-port.js";
import { skipWasmTierUp } from "../../providers/openai/skip-wasm-tier-up.js";
import { checkInputNames } from "../check-input-names.js";
import type { CliContext } from "../cli-context.js";
import { parseInit } from "../parse-init.js";
import { parseInputsOption } from "../parse-inputs-option.js";
import { printJson } from "../print-json.js";
import { ExitCode } from "../report-error.js";
import { registerFlowInitCommand } from "./flow-init.js";
import { registerFlowServeCommand } from "./flow-serve.js";

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
      "flow inputs (coerced to their declared types), or one JSON/JSONL file of them; defaults fill the rest",
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
        const inputs = parseInputsOption(options.inputs);
        const init = parseInit(options.init);
        skipWasmTierUp();
        const fn = await loadFlow(options.flow, {
          env: context.io.env,
          // A local test: image inputs may be files inside the flow folder.
          imageRoots: [flowFolder(options.flow)],
          // What python tools print shows on stderr, as `pf flow test` shows it (stdout stays the outputs).
          pythonOutput: (text) => context.io.stderr.write(text),
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

  registerFlowServeCommand(flow, context);
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
    // readline is loaded only for a chat.
    const { runInteractiveChat } = await import("../interactive-chat.js");
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
  // As `pf flow test`: a chat history left out (and without a default) is an empty conversation.
  const given: Record<string, unknown> = { ...inputs };
  const chatHistory = findChatHistoryInput(fn.definition.inputs);
  if (chatHistory && given[chatHistory] === undefined && fn.definition.inputs[chatHistory]!.default == null)
    given[chatHistory] = [];
  const missing = Object.entries(fn.definition.inputs)
    .filter(
      ([name, input]) =>
        given[name] === undefined &&
        !input.optional &&
        (input.default === undefined || input.default === null),
    )
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new InputError(
      "InputNotFound",
      `missing required flow input${missing.length === 1 ? "" : "s"} ${missing.map((m) => `'${m}'`).join(", ")}: pass ${missing.map((m) => `${m}=...`).join(" ")} with --inputs.`,
      { field: missing[0]! },
    );
  }
  const outputs = await fn(given);
  printJson(context, outputs);
}

/** The flow folder of a `--flow` value (the folder, or the folder of its YAML file). */
function flowFolder(flow: string): string {
  const resolved = path.resolve(flow);
  return statSync(resolved, { throwIfNoEntry: false })?.isDirectory() ? resolved : path.dirname(resolved);
}
