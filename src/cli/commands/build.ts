import path from "node:path";
import { type Command, Option } from "commander";
import { UserError } from "../../core/errors.js";
import { packageInfo } from "../../core/package-info.js";
import { buildFlowImageContext } from "../build/build-flow-image-context.js";
import { buildFunctionsContext } from "../build/build-functions-context.js";
import type { CliContext } from "../cli-context.js";
import { printJson } from "../print-json.js";

/** `flowops build`: promptflow's `pf flow build`, for the Functions app or one flow. */
export function registerBuildCommand(program: Command, context: CliContext): void {
  program
    .command("build")
    .description(
      "write a container build context: the Functions app with Python and every flow's requirements, or one flow (--format docker)",
    )
    .requiredOption("--output <folder>", "a new or empty folder for the build context")
    .option("--flows <folder>", "Functions app: the flows folder (default FLOWOPS_FLOWS, else ./flows)")
    .option("--source <folder>", "one flow to serve (promptflow's pf flow build --source)")
    .addOption(new Option("--format <format>", "with --source: the build's format").choices(["docker"]))
    .addHelpText(
      "after",
      `
Without --source: a build context for the Functions app as a container (Azure Container Apps hosting
for Functions): the Azure Functions Node.js 20 image, Python 3 with every flow's
environment.python_requirements_txt installed at build time, the compiled app and the flows. stdout
gets a JSON summary whose needsPython says whether the infra should host the app as a container
(functionHosting=containerApps); see docs/deploy.md.
With --source DIR --format docker: an image that runs 'flowops flow serve' for that flow on $PORT.
flowops writes the context only; build the image with docker build or az acr build.

Examples:
  $ flowops build --output build/functions
  $ flowops build --source flows/chat --format docker --output build/chat
  $ docker build -t chat-flow build/chat && docker run -p 8080:8080 chat-flow`,
    )
    .action(async (options: { output: string; flows?: string; source?: string; format?: string }) => {
      const output = path.resolve(options.output);
      const packageRoot = packageInfo().root;
      if (options.source) {
        if (options.flows)
          throw new UserError(
            "InvalidArgument",
            "give --source (one flow) or --flows (the Functions app), not both.",
            {
              field: "--flows",
            },
          );
        const result = await buildFlowImageContext({
          packageRoot,
          source: path.resolve(options.source),
          output,
        });
        context.log(
          `wrote the image context of flow '${result.flow}' to ${output}: docker build -t IMAGE ${options.output}`,
        );
        printJson(context, result);
        return;
      }
      if (options.format)
        throw new UserError("InvalidArgument", "--format docker builds one flow: add --source FLOW_FOLDER.", {
          field: "--format",
        });
      const flowsDir = path.resolve(options.flows ?? context.io.env["FLOWOPS_FLOWS"] ?? "flows");
      const result = await buildFunctionsContext({ packageRoot, flowsDir, output });
      const python = result.flows.filter((flow) => flow.python).map((flow) => flow.name);
      context.log(
        python.length > 0
          ? `wrote the Functions app image context to ${output}; python flows (${python.join(", ")}) need it: deploy with functionHosting=containerApps`
          : `wrote the Functions app image context to ${output}; no flow has python nodes, so the default Flex Consumption deployment needs no image`,
      );
      printJson(context, result);
    });
}
