import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";

/** Adds one command group (`flowops <group> ...`) to the program. */
export type RegisterCommands = (program: Command, context: CliContext) => void;

/** A command group by name, with its module loaded only when the command line needs it. */
export interface CommandGroup {
  name: string;
  load(): Promise<RegisterCommands>;
}

/** Every command group, in the order `flowops --help` lists them. Add a group here (e.g. `run`). */
export const commandGroups: CommandGroup[] = [
  { name: "flow", load: async () => (await import("./flow.js")).registerFlowCommands },
  { name: "connection", load: async () => (await import("./connection.js")).registerConnectionCommands },
  { name: "run", load: async () => (await import("./run/index.js")).registerRunCommands },
  { name: "experiment", load: async () => (await import("./experiment.js")).registerExperimentCommands },
  { name: "registry", load: async () => (await import("./registry.js")).registerRegistryCommands },
  { name: "build", load: async () => (await import("./build.js")).registerBuildCommand },
  { name: "deploy", load: async () => (await import("./deploy.js")).registerDeployCommands },
  { name: "endpoint", load: async () => (await import("./endpoint.js")).registerEndpointCommands },
  { name: "start", load: async () => (await import("./start.js")).registerStartCommand },
  { name: "studio", load: async () => (await import("./studio.js")).registerStudioCommand },
  { name: "migrate", load: async () => (await import("./migrate.js")).registerMigrateCommands },
];

/**
 * The groups a command line needs, loaded: the group it names; none for `--version` alone; every group
 * otherwise (the overall help, or an unknown command that commander reports with suggestions).
 */
export async function loadCommandGroups(argv: readonly string[]): Promise<RegisterCommands[]> {
  const operand = argv.find((arg) => !arg.startsWith("-"));
  const named = commandGroups.find((group) => group.name === operand);
  if (named) return [await named.load()];
  if (operand === undefined && (argv.includes("--version") || argv.includes("-V"))) return [];
  return Promise.all(commandGroups.map((group) => group.load()));
}
