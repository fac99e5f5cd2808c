import { type Command, Option } from "commander";
import { UserError } from "../../../core/errors.js";
import { cancelRun, toRunView } from "../../../runs/index.js";
import { RunNotFoundError } from "../../../stores/errors.js";
import type { RunRecord, RunStatus, RunStore } from "../../../stores/run-store.js";
import type { CliContext } from "../../cli-context.js";
import { confirmOnTerminal } from "../../confirm-on-terminal.js";
import { withRunStore } from "../../open-run-store.js";
import { parsePositiveInt } from "../../parse-positive-int.js";
import { printJson } from "../../print-json.js";
import { ExitCode } from "../../report-error.js";

interface ListOptions {
  maxResults: string;
  allResults?: boolean;
  status?: RunStatus;
  includeArchived?: boolean;
  archivedOnly?: boolean;
}

/** The archived runs, newest first (the store lists every run; only archived ones are kept). */
async function archivedRuns(
  store: RunStore,
  limit: number | undefined,
  status: RunStatus | undefined,
): Promise<RunRecord[]> {
  const runs = await store.listRuns({ includeArchived: true, ...(status ? { status } : {}) });
  return runs.filter((run) => run.archived).slice(0, limit);
}

/** `flowops run list | cancel | delete`. */
export function registerRunManageCommands(run: Command, context: CliContext): void {
  const statuses: RunStatus[] = ["NotStarted", "Running", "Completed", "Failed", "Canceled"];
  run
    .command("list")
    .description("runs, newest first, as a JSON array")
    .option("--max-results <n>", "at most this many runs", "50")
    .option("--all-results", "every run")
    .addOption(new Option("--status <status>", "only runs with this status").choices(statuses))
    .option("--include-archived", "archived runs too")
    .option("--archived-only", "only archived runs")
    .action(async (options: ListOptions) => {
      const limit = options.allResults ? undefined : parsePositiveInt(options.maxResults, "--max-results");
      if (options.includeArchived && options.archivedOnly)
        throw new UserError("InvalidArgument", "give --include-archived or --archived-only, not both.", {
          field: "--archived-only",
        });
      await withRunStore(context.io.env, async (store) => {
        const runs = options.archivedOnly
          ? await archivedRuns(store, limit, options.status)
          : await store.listRuns({
              ...(limit ? { limit } : {}),
              ...(options.status ? { status: options.status } : {}),
              ...(options.includeArchived ? { includeArchived: true } : {}),
            });
        printJson(
          context,
          runs.map((r) => toRunView(r)),
        );
      });
    });

  run
    .command("cancel")
    .description("cancel a running run (the process running it stops taking lines); it stays resumable")
    .requiredOption("--name <name>", "the run's name")
    .action(async (options: { name: string }) => {
      await withRunStore(context.io.env, async (store) => {
        const before = await store.getRun(options.name);
        const record = await cancelRun(store, options.name);
        if (before && before.status !== "Running" && before.status !== "NotStarted")
          context.log(`run '${options.name}' is already ${before.status}: nothing to cancel`);
        else
          context.log(
            `canceled run '${options.name}': resume it with 'flowops run create --resume-from ${options.name}'`,
          );
        printJson(context, toRunView(record));
      });
    });

  run
    .command("delete")
    .description("delete a run and its lines")
    .requiredOption("--name <name>", "the run's name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (options: { name: string; yes?: boolean }) => {
      await withRunStore(context.io.env, async (store) => {
        if (!(await store.getRun(options.name))) throw new RunNotFoundError(options.name);
        if (
          !options.yes &&
          !(await confirmOnTerminal(context, `delete run '${options.name}'? [y/N] `, "deleting a run"))
        ) {
          context.log("not deleted");
          context.exitCode = ExitCode.Usage;
          return;
        }
        await store.deleteRun(options.name);
        context.log(`deleted run '${options.name}'`);
      });
    });
}
