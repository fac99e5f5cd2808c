import type { Command } from "commander";
import { ConnectionNotFoundError, connectionEnvName } from "../../connections/connection-store.js";
import { createConnectionStore } from "../../connections/create-connection-store.js";
import { maskConnection, readConnectionFile, updateConnection } from "../../connections/index.js";
import { UserError } from "../../core/errors.js";
import type { CliContext } from "../cli-context.js";
import { confirmOnTerminal } from "../confirm-on-terminal.js";
import { printJson } from "../print-json.js";
import { ExitCode } from "../report-error.js";

/** `flowops connection create | update | list | show | delete`: secrets are stored 0600 and never printed. */
export function registerConnectionCommands(program: Command, context: CliContext): void {
  const connection = program
    .command("connection")
    .description("manage connections (promptflow connection YAML), kept under FLOWOPS_HOME");
  const print = (value: unknown) => printJson(context, value);
  const store = () => createConnectionStore(context.io.env);

  connection
    .command("create")
    .description("create or update a connection from a promptflow connection YAML file")
    .requiredOption("--file <path>", "the connection YAML (azure_open_ai, open_ai, custom, ...)")
    .option("--set <key=value...>", "override fields, e.g. api_key=... or secrets.token=...")
    .option("--name <name>", "the connection's name (overrides the file's)")
    .addHelpText(
      "after",
      `
Values may be \${env:VAR}: they are kept as written and resolved when the connection is used.
The file under FLOWOPS_HOME/connections is written with mode 0600; output masks every secret.

Examples:
  $ flowops connection create --file aoai.yaml --set api_key=$AZURE_OPENAI_API_KEY
  $ flowops connection create --file openai.yaml --name local-llm --set base_url=http://localhost:11434/v1`,
    )
    .action(async (options: { file: string; set?: string[]; name?: string }) => {
      const overrides = [...(options.set ?? []), ...(options.name ? [`name=${options.name}`] : [])];
      const parsed = await readConnectionFile(options.file, overrides);
      const connections = store();
      const existed = (await connections.get(parsed.name)) !== undefined;
      await connections.upsert(parsed);
      context.log(`${existed ? "updated" : "created"} connection '${parsed.name}' (${parsed.type})`);
      print(maskConnection(parsed));
    });

  connection
    .command("update")
    .description("change fields of a stored connection (promptflow's pf connection update --set)")
    .requiredOption("--name <name>", "the connection's name")
    .requiredOption(
      "--set <key=value...>",
      "fields to change, e.g. api_base=... or configs.region=... or secrets.token=...",
    )
    .addHelpText(
      "after",
      `
The result is validated as a connection file would be; the output masks every secret.

Examples:
  $ flowops connection update --name aoai --set api_base=https://my-aoai.openai.azure.com/ api_version=2024-10-21
  $ flowops connection update --name my_custom --set secrets.api_key='\${env:MY_KEY}'`,
    )
    .action(async (options: { name: string; set: string[] }) => {
      const connections = store();
      const current = await connections.get(options.name);
      if (!current) throw new ConnectionNotFoundError(options.name);
      if (context.io.env[`FLOWOPS_CONNECTION_${connectionEnvName(options.name)}`] !== undefined)
        throw readOnly(options.name);
      const updated = updateConnection(current, options.set, `connection '${options.name}'`);
      await connections.upsert(updated);
      context.log(`updated connection '${updated.name}' (${updated.type})`);
      print(maskConnection(updated));
    });

  connection
    .command("list")
    .description("list connections (secrets masked), from FLOWOPS_CONNECTION_* and FLOWOPS_HOME")
    .addHelpText("after", "\nExample:\n  $ flowops connection list")
    .action(async () => {
      print((await store().list()).map((c) => maskConnection(c)));
    });

  connection
    .command("show")
    .description("show one connection (secrets masked)")
    .requiredOption("--name <name>", "the connection's name")
    .addHelpText("after", "\nExample:\n  $ flowops connection show --name aoai")
    .action(async (options: { name: string }) => {
      const found = await store().get(options.name);
      if (!found) throw new ConnectionNotFoundError(options.name);
      print(maskConnection(found));
    });

  connection
    .command("delete")
    .description("delete a connection stored under FLOWOPS_HOME")
    .requiredOption("--name <name>", "the connection's name")
    .option("-y, --yes", "do not ask for confirmation")
    .addHelpText("after", "\nExample:\n  $ flowops connection delete --name aoai --yes")
    .action(async (options: { name: string; yes?: boolean }) => {
      if (
        !options.yes &&
        !(await confirmOnTerminal(
          context,
          `delete connection '${options.name}'? [y/N] `,
          "deleting a connection",
        ))
      ) {
        context.log("not deleted");
        context.exitCode = ExitCode.Usage;
        return;
      }
      const connections = store();
      if (await connections.delete(options.name)) {
        context.log(`deleted connection '${options.name}'`);
        return;
      }
      if (await connections.get(options.name)) {
        throw new UserError(
          "ConnectionReadOnly",
          `connection '${options.name}' comes from the environment variable FLOWOPS_CONNECTION_${connectionEnvName(options.name)}: unset it to remove the connection.`,
          { field: "name" },
        );
      }
      throw new ConnectionNotFoundError(options.name);
    });
}

function readOnly(name: string): UserError {
  return new UserError(
    "ConnectionReadOnly",
    `connection '${name}' comes from the environment variable FLOWOPS_CONNECTION_${connectionEnvName(name)}: change or unset the variable instead.`,
    { field: "name" },
  );
}
