import type { Command } from "commander";
import { UserError } from "../../../core/errors.js";
import { toRunView } from "../../../runs/index.js";
import { RunNotFoundError } from "../../../stores/errors.js";
import type { RunRecord } from "../../../stores/run-store.js";
import type { CliContext } from "../../cli-context.js";
import { withRunStore } from "../../open-run-store.js";
import { parseKeyValues } from "../../parse-key-values.js";
import { printJson } from "../../print-json.js";

/** `flowops run archive | restore | update`, as promptflow's `pf run` has them. */
export function registerRunUpdateCommands(run: Command, context: CliContext): void {
  const change = async (name: string, describe: (run: RunRecord) => Partial<RunRecord>, done: string) =>
    withRunStore(context.io.env, async (store) => {
      const current = await store.getRun(name);
      if (!current) throw new RunNotFoundError(name);
      const updated = await store.updateRun(
        name,
        describe(current),
        current.etag ? { ifMatch: current.etag } : {},
      );
      context.log(done);
      printJson(context, toRunView(updated));
    });

  run
    .command("archive")
    .description("archive a run: 'run list' leaves it out (unless --include-archived); its lines are kept")
    .requiredOption("--name <name>", "the run's name")
    .addHelpText("after", "\nExample:\n  $ flowops run archive --name ner-test")
    .action((options: { name: string }) =>
      change(options.name, () => ({ archived: true }), `archived run '${options.name}'`),
    );

  run
    .command("restore")
    .description("restore an archived run into 'run list'")
    .requiredOption("--name <name>", "the run's name")
    .addHelpText("after", "\nExample:\n  $ flowops run restore --name ner-test")
    .action((options: { name: string }) =>
      change(options.name, () => ({ archived: false }), `restored run '${options.name}'`),
    );

  run
    .command("update")
    .description("change a run's display name, description or tags")
    .requiredOption("--name <name>", "the run's name")
    .requiredOption("--set <key=value...>", "display_name=..., description=... or tags.KEY=VALUE")
    .addHelpText(
      "after",
      `
Example:
  $ flowops run update --name ner-test --set display_name="NER, prompt v2" description="after the fix" tags.owner=ml-team`,
    )
    .action((options: { name: string; set: string[] }) => {
      const fields = parseRunUpdate(options.set);
      return change(
        options.name,
        (current) => ({
          ...fields.record,
          ...(Object.keys(fields.tags).length > 0 ? { tags: { ...current.tags, ...fields.tags } } : {}),
        }),
        `updated run '${options.name}'`,
      );
    });
}

/** `--set display_name=... description=... tags.KEY=VALUE`; anything else names what can be set. */
export function parseRunUpdate(pairs: string[]): {
  record: Pick<RunRecord, "display_name" | "description">;
  tags: Record<string, string>;
} {
  const record: Pick<RunRecord, "display_name" | "description"> = {};
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseKeyValues(pairs, "--set"))) {
    if (key === "display_name" || key === "description") record[key] = value;
    else if (key.startsWith("tags.") && key.length > 5) tags[key.slice(5)] = value;
    else
      throw new UserError(
        "InvalidArgument",
        `--set ${key}: a run's display_name, description and tags.KEY can be changed; its flow, data and results cannot.`,
        { field: "--set" },
      );
  }
  return { record, tags };
}
