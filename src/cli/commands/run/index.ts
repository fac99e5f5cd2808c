import type { Command } from "commander";
import type { CliContext } from "../../cli-context.js";
import { registerRunCreateCommand } from "./create.js";
import { registerRunExportCommand } from "./export.js";
import { registerRunManageCommands } from "./manage.js";
import { registerRunShowCommands } from "./show.js";
import { registerRunUpdateCommands } from "./update.js";
import { registerRunVisualizeCommand } from "./visualize.js";

/** `flowops run create | show | show-details | show-metrics | list | cancel | delete | archive | restore | update | export | visualize`. */
export function registerRunCommands(program: Command, context: CliContext): void {
  const run = program.command("run").description("batch runs of a flow over a data set (mirrors `pf run`)");
  registerRunCreateCommand(run, context);
  registerRunShowCommands(run, context);
  registerRunManageCommands(run, context);
  registerRunUpdateCommands(run, context);
  registerRunExportCommand(run, context);
  registerRunVisualizeCommand(run, context);
}
