import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { registerConnectionCommands } from "./connection.js";
import { registerDeployCommands } from "./deploy.js";
import { registerEndpointCommands } from "./endpoint.js";
import { registerExperimentCommands } from "./experiment.js";
import { registerFlowCommands } from "./flow.js";
import { registerMigrateCommands } from "./migrate.js";
import { registerRegistryCommands } from "./registry.js";
import { registerRunCommands } from "./run/index.js";
import { registerStartCommand } from "./start.js";
import { registerStudioCommand } from "./studio.js";

/** Adds one command group (`flowops <group> ...`) to the program. */
export type RegisterCommands = (program: Command, context: CliContext) => void;

/** Every command group, in the order `flowops --help` lists them. Add a group here (e.g. `run`). */
export const commandGroups: RegisterCommands[] = [
  registerFlowCommands,
  registerConnectionCommands,
  registerRunCommands,
  registerExperimentCommands,
  registerRegistryCommands,
  registerDeployCommands,
  registerEndpointCommands,
  registerStartCommand,
  registerStudioCommand,
  registerMigrateCommands,
];
