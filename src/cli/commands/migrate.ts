import path from "node:path";
import type { Command } from "commander";
import { checkMigration, convertPipeline, formatMigrationReport, migrateNode } from "../../migrate/index.js";
import type { CliContext } from "../cli-context.js";

/** `flowops migrate check | node | pipeline`: moving promptflow flows and pipelines to flowops. */
export function registerMigrateCommands(program: Command, context: CliContext): void {
  const migrate = program
    .command("migrate")
    .description("move promptflow flows and LLMOps pipelines to flowops (check, node, pipeline)");

  migrate
    .command("check")
    .description("report, for every promptflow flow under DIR, whether it runs as it is on flowops")
    .argument("<dir>", "a folder holding promptflow flows (flow.dag.yaml, flow.flex.yaml, *.prompty)")
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      `
For each flow: runs as it is, runs once its python requirements are installed, needs packages flowops
does not provide (which, and for which nodes), or does not validate; and the python nodes that
'flowops migrate node' can turn into TypeScript. Exits 2 when some flow cannot run.

Examples:
  $ flowops migrate check ./promptflow-flows
  $ flowops migrate check . --json > migration.json`,
    )
    .action(async (dir: string, options: { json?: boolean }) => {
      const reports = await checkMigration(path.resolve(dir));
      context.io.stdout.write(
        options.json ? `${JSON.stringify(reports, null, 2)}\n` : formatMigrationReport(reports),
      );
      if (reports.some((r) => r.status === "invalid" || r.status === "needs-packages")) context.exitCode = 2;
    });

  migrate
    .command("node")
    .description("write a TypeScript version of a simple python node (the flow keeps using the python)")
    .requiredOption("--flow <path>", "the flow folder or its flow.dag.yaml")
    .requiredOption("--node <name>", "the python node to convert")
    .option("--output <file>", "where to write (default: beside the .py file, as .ts)")
    .option("--force", "overwrite an existing file")
    .option("--dry-run", "print the TypeScript instead of writing it")
    .addHelpText(
      "after",
      `
The translation is a starting point to review. Switch the node when it is ready:
  type: typescript
  source: {type: code, path: <node>.ts}

Examples:
  $ flowops migrate node --flow flows/eval --node grade
  $ flowops migrate node --flow flows/eval --node grade --dry-run`,
    )
    .action(
      async (options: { flow: string; node: string; output?: string; force?: boolean; dryRun?: boolean }) => {
        const { file, code } = await migrateNode({
          flow: path.resolve(options.flow),
          node: options.node,
          ...(options.output ? { output: path.resolve(options.output) } : {}),
          ...(options.force ? { force: true } : {}),
          ...(options.dryRun ? { dryRun: true } : {}),
        });
        if (options.dryRun) {
          context.io.stdout.write(code);
          return;
        }
        context.io.stdout.write(`✓ wrote ${path.relative(process.cwd(), file) || file}\n`);
        context.log(
          `Review it, then set node '${options.node}' to type: typescript, source.path: ${path.basename(file)}.`,
        );
      },
    );

  migrate
    .command("pipeline")
    .description("convert the LLMOps template's experiment.yaml / deployment_config.json to flowops files")
    .option("--experiment <file>", "the LLMOps template's experiment.yaml")
    .option("--deployment-config <file>", "the LLMOps template's deployment_config.json")
    .option("--output <dir>", "where to write (default: the experiment's folder)")
    .option(
      "--flow-name <name>",
      "the registered flow the deployments serve (default: the experiment's name)",
    )
    .addHelpText(
      "after",
      `
Writes experiment.flowops.yaml (run it with 'flowops experiment run') and deployment.<env>.yaml per
environment (deploy it with 'flowops deploy').

Examples:
  $ flowops migrate pipeline --experiment named_entity_recognition/experiment.yaml \\
      --deployment-config named_entity_recognition/configs/deployment_config.json`,
    )
    .action(
      async (options: {
        experiment?: string;
        deploymentConfig?: string;
        output?: string;
        flowName?: string;
      }) => {
        const written = await convertPipeline({
          ...(options.experiment ? { experiment: options.experiment } : {}),
          ...(options.deploymentConfig ? { deploymentConfig: options.deploymentConfig } : {}),
          ...(options.output ? { outputDir: options.output } : {}),
          ...(options.flowName ? { flowName: options.flowName } : {}),
        });
        for (const { file, description } of written)
          context.io.stdout.write(`✓ wrote ${path.relative(process.cwd(), file) || file} (${description})\n`);
      },
    );
}
