import path from "node:path";
import type { Command } from "commander";
import { flowopsHome } from "../../core/flowops-home.js";
import { compareEndpoint, formatComparison } from "../../deploy/compare-endpoint.js";
import { evaluateProductionWith } from "../../deploy/evaluate-production.js";
import { openDeploymentStores } from "../../deploy/open-deployment-stores.js";
import { loadFlowExecutor } from "../../load-flow.js";
import type { CliContext } from "../cli-context.js";
import { openRunStore } from "../open-run-store.js";
import { parseKeyValues } from "../parse-key-values.js";
import { printJson } from "../print-json.js";
import { registerEndpointInvokeCommand } from "./endpoint-invoke.js";

/** `flowops endpoint compare --endpoint E [--evaluator FLOW]`: versions side by side over logged traffic. */
export function registerEndpointCommands(program: Command, context: CliContext): void {
  const endpoint = program
    .command("endpoint")
    .description("send traffic to A/B endpoints and compare their versions over the logged traffic");
  registerEndpointInvokeCommand(endpoint, context);
  endpoint
    .command("compare")
    .description(
      "per served version: requests, failures, latency, tokens and (with --evaluator) evaluation metrics",
    )
    .requiredOption("--endpoint <name>", "the endpoint")
    .option("--since <when>", "only requests since then: 30m, 12h, 1d, 2w or a date")
    .option("--evaluator <flow>", "an evaluation flow run over each version's logged requests")
    .option(
      "--column-mapping <input=value...>",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${data...} is column-mapping syntax
      "evaluator inputs, e.g. prediction='${data.outputs.entities}' (default: same-named outputs, then inputs)",
    )
    .option("--json", "print JSON instead of a table")
    .addHelpText(
      "after",
      `
Examples:
  $ flowops endpoint compare --endpoint ner
  $ flowops endpoint compare --endpoint ner --since 1d --evaluator flows/evaluators/partial-match \\
      --column-mapping 'groundtruth=\${data.inputs.results}' 'prediction=\${data.outputs.entities}'`,
    )
    .action(
      async (options: {
        endpoint: string;
        since?: string;
        evaluator?: string;
        columnMapping?: string[];
        json?: boolean;
      }) => {
        const env = context.io.env;
        const stores = await openDeploymentStores(env);
        const runs = await openRunStore(env);
        try {
          const evaluate = options.evaluator
            ? evaluateProductionWith({
                store: runs,
                evaluator: options.evaluator,
                // loadFlow's wiring without registering its tracing (compare only reads the logged traffic).
                executor: (flow) => loadFlowExecutor(flow, { env, tracing: false }),
                endpoint: options.endpoint,
                ...(options.columnMapping
                  ? { columnMapping: parseKeyValues(options.columnMapping, "--column-mapping") }
                  : {}),
                workDir: path.join(flowopsHome(env), "cache", "compare"),
              })
            : undefined;
          const rows = await compareEndpoint({
            requests: stores.requests,
            endpoint: options.endpoint,
            ...(options.since ? { since: options.since } : {}),
            ...(evaluate ? { evaluate } : {}),
          });
          if (options.json) printJson(context, rows);
          else context.io.stdout.write(formatComparison(options.endpoint, rows));
        } finally {
          await runs.close();
          await stores.close();
        }
      },
    );
}
