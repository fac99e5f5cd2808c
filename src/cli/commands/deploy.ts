import type { Command } from "commander";
import { deployTraffic, promoteCandidate, rollbackDeployment } from "../../deploy/deploy-actions.js";
import { DeploymentSpecError, parseFlowWeight, readDeploymentFile } from "../../deploy/deployment-file.js";
import { openDeploymentStores } from "../../deploy/open-deployment-stores.js";
import { openRegistry } from "../../registry/open-registry.js";
import { type DeploymentRecord, EndpointNotFoundError } from "../../stores/deployment-store.js";
import type { CliContext } from "../cli-context.js";
import { printJson } from "../print-json.js";

type DeployContextUser<T> = (context: Parameters<typeof deployTraffic>[0]) => Promise<T>;

/**
 * `flowops deploy --endpoint E --flow N:V[=weight] ...` (or `--file deployment.yaml`), and
 * `deploy promote|rollback|show --endpoint E`. Changes apply to the next request (no redeploy) and
 * are kept as revisions with who/when.
 */
export function registerDeployCommands(program: Command, context: CliContext): void {
  const printLine = (value: unknown) => context.io.stdout.write(`${JSON.stringify(value)}\n`);
  const withStores = async <T>(use: DeployContextUser<T>): Promise<T> => {
    const opened = await openRegistry(context.io.env);
    const stores = await openDeploymentStores(context.io.env);
    try {
      return await use({ deployments: stores.deployments, registry: opened.registry, env: context.io.env });
    } finally {
      await stores.close();
      await opened.close();
    }
  };
  const describe = (record: DeploymentRecord) =>
    `${record.endpoint} revision ${record.revision} (${record.action} by ${record.updated_by}): ` +
    record.traffic.map((t) => `${t.flow}:${t.version}=${t.weight}`).join(", ");
  const endpointOf = (command: Command): string => {
    const endpoint = (command.optsWithGlobals() as { endpoint?: string }).endpoint;
    if (!endpoint)
      throw new DeploymentSpecError("MissingEndpoint", "Name the endpoint with --endpoint <name>.");
    return endpoint;
  };

  const deploy = program
    .command("deploy")
    .description("set which registered flow versions an endpoint serves, and their traffic shares")
    .option("--endpoint <name>", "the endpoint (served at POST /api/endpoints/<name>)")
    .option("--flow <name:version=weight...>", "a registered version and its weight (default 100)")
    .option("--file <deployment.yaml>", "endpoint and traffic from a file instead")
    .addHelpText(
      "after",
      `
Examples:
  $ flowops deploy --endpoint ner --flow named-entity-recognition:1=90 --flow named-entity-recognition:2=10
  $ flowops deploy --file deployment.yaml
  $ flowops deploy promote --endpoint ner     # the candidate takes 100% and is labelled production
  $ flowops deploy rollback --endpoint ner    # back to the previous split
  $ flowops deploy show --endpoint ner`,
    )
    .action(async (...args: unknown[]) => {
      const options = (args.at(-1) as Command).opts<{ endpoint?: string; flow?: string[]; file?: string }>();
      let endpoint = options.endpoint;
      let specs = (options.flow ?? []).map(parseFlowWeight);
      if (options.file) {
        const file = await readDeploymentFile(options.file);
        if (endpoint && endpoint !== file.endpoint) {
          throw new DeploymentSpecError(
            "EndpointMismatch",
            `--endpoint ${endpoint} differs from endpoint '${file.endpoint}' in ${options.file}.`,
          );
        }
        endpoint = file.endpoint;
        specs = [...file.traffic, ...specs];
      }
      if (!endpoint)
        throw new DeploymentSpecError("MissingEndpoint", "Name the endpoint with --endpoint <name>.");
      if (specs.length === 0) {
        throw new DeploymentSpecError(
          "MissingFlow",
          "Give at least one --flow <name>:<version>[=<weight>] (or --file deployment.yaml).",
        );
      }
      const target = endpoint;
      const record = await withStores((c) => deployTraffic(c, target, specs));
      context.log(describe(record));
      printLine(record);
    });

  deploy
    .command("promote")
    .description(
      "give the candidate (label 'candidate', else the smallest share) 100% and label it production",
    )
    .action(async (_options: unknown, command: Command) => {
      const record = await withStores((c) => promoteCandidate(c, endpointOf(command)));
      context.log(describe(record));
      printLine(record);
    });
  deploy
    .command("rollback")
    .description("restore the traffic split in force before the current one")
    .action(async (_options: unknown, command: Command) => {
      const record = await withStores((c) => rollbackDeployment(c, endpointOf(command)));
      context.log(describe(record));
      printLine(record);
    });
  deploy
    .command("show")
    .description("show the endpoint's current split and its history (who, when, what)")
    .action(async (_options: unknown, command: Command) => {
      const endpoint = endpointOf(command);
      const history = await withStores((c) => c.deployments.history(endpoint));
      const current = history.at(-1);
      if (!current) throw new EndpointNotFoundError(endpoint);
      printJson(context, { endpoint, current, history });
    });
}
