import path from "node:path";
import { type Command, Option } from "commander";
import type { CliContext } from "../cli-context.js";
import { FLOW_TEMPLATE_TYPES, type FlowTemplateType } from "../flow-init/flow-templates.js";
import { initFlow } from "../flow-init/init-flow.js";
import { printJson } from "../print-json.js";

/** `flowops flow init --flow DIR [--type standard|chat|evaluation|flex]`: promptflow's `pf flow init`. */
export function registerFlowInitCommand(flow: Command, context: CliContext): void {
  flow
    .command("init")
    .description("create a flow from promptflow's templates (standard, chat, evaluation) or a flex flow")
    .requiredOption("--flow <folder>", "the folder to create the flow in (created if needed)")
    .addOption(
      new Option("--type <type>", "which template").choices([...FLOW_TEMPLATE_TYPES]).default("standard"),
    )
    .option("--connection <name>", "chat: the connection of the llm node", "open_ai_connection")
    .option(
      "--deployment <name>",
      "chat: the deployment (Azure OpenAI) or model of the llm node",
      "gpt-4o-mini",
    )
    .addHelpText(
      "after",
      `
Existing files are never overwritten (exit 2 naming them). Every template validates and runs as
written: standard and evaluation call no model; chat ships a recorded placeholder answer for its
default question (run it with FLOWOPS_LLM_MODE=replay until the connection exists); flex is a python
function entry (flow.flex.yaml).

Examples:
  $ flowops flow init --flow my-flow
  $ flowops flow init --flow my-chat --type chat --connection aoai --deployment gpt-4o
  $ FLOWOPS_LLM_MODE=replay flowops flow test --flow my-chat`,
    )
    .action(
      async (options: { flow: string; type: FlowTemplateType; connection: string; deployment: string }) => {
        const result = await initFlow(path.resolve(options.flow), options.type, {
          connection: options.connection,
          deployment: options.deployment,
        });
        context.log(
          `created a ${options.type} flow in ${result.folder}: try 'flowops flow test --flow ${options.flow}'`,
        );
        printJson(context, result);
      },
    );
}
