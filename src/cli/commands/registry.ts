import type { Command } from "commander";
import { UserError } from "../../core/errors.js";
import { openRegistry } from "../../registry/open-registry.js";
import { readExperimentGates } from "../../registry/read-experiment-gates.js";
import type { Registry } from "../../registry/registry.js";
import type { CliContext } from "../cli-context.js";
import { withRunStore } from "../open-run-store.js";
import { parseKeyValues } from "../parse-key-values.js";
import { printJson } from "../print-json.js";

/**
 * `flowops registry flow register|list|show|download|label` and `registry data register|list|show`:
 * immutable, content-hashed versions (FLOWOPS_STORE=azure: Cosmos DB + Blob Storage; else FLOWOPS_HOME).
 */
export function registerRegistryCommands(program: Command, context: CliContext): void {
  const print = (value: unknown): void => printJson(context, value);
  const printLine = (value: unknown) => context.io.stdout.write(`${JSON.stringify(value)}\n`);
  const withRegistry = async <T>(use: (registry: Registry) => Promise<T>): Promise<T> => {
    const opened = await openRegistry(context.io.env);
    try {
      return await use(opened.registry);
    } finally {
      await opened.close();
    }
  };
  const registry = program
    .command("registry")
    .description("register flows and data sets as immutable, content-hashed versions; label them");

  const flow = registry.command("flow").description("registered flow versions");
  flow
    .command("register")
    .description("package a flow folder (with its additional_includes) as a new version, unless unchanged")
    .requiredOption("--flow <dir>", "the flow folder")
    .requiredOption("--name <name>", "the registered flow's name")
    .option("--tag <key=value...>", "tags kept with the version (e.g. commit=abc123)")
    // biome-ignore lint/suspicious/noTemplateCurlyInString: promptflow's variant syntax, not a template
    .option("--variant <ref>", "package with this variant as its node's default, e.g. '${NER_LLM.variant_1}'")
    .option("--metrics-from <run>", "copy this run's metrics onto the version")
    .option("--if-gates-pass <output>", "register only if the experiment output's gates (gates.json) passed")
    .option("--exclude <pattern...>", "more files to leave out (gitignore syntax)")
    .option(
      "--include <pattern...>",
      "package files a default leaves out, e.g. '.env.example' (gitignore syntax)",
    )
    .addHelpText(
      "after",
      `
Prints {"name","version","hash","created"}; created is false when the content is unchanged (the
existing version is returned). With --if-gates-pass and a failed gate nothing is registered: the
output is {"name","created":false,"gates_passed":false,"failures":[...]} and the exit code 0.

With --variant the version's flow.dag.yaml has that variant as its node's default_variant_id (the
variant an experiment chose), so it is a new version of the same folder; its tags record the variant.

Left out by default: .git/, .flowops/, .promptflow/, node_modules/, caches, .env, .env.*,
local.settings.json and connection files holding a key; --include packages some of them anyway.
Symbolic links must point inside the flow folder.

Examples:
  $ flowops registry flow register --flow flows/named-entity-recognition --name named-entity-recognition
  $ flowops registry flow register --flow flows/named-entity-recognition --name ner --variant '\${NER_LLM.variant_1}'
  $ flowops registry flow register --flow flows/ner --name ner --tag commit=$GITHUB_SHA --if-gates-pass out/`,
    )
    .action(
      async (options: {
        flow: string;
        name: string;
        tag?: string[];
        variant?: string;
        metricsFrom?: string;
        ifGatesPass?: string;
        exclude?: string[];
        include?: string[];
      }) => {
        if (options.ifGatesPass) {
          const gates = await readExperimentGates(options.ifGatesPass);
          if (!gates.passed) {
            context.log(`not registered: ${gates.failures.length} gate(s) failed in ${gates.file}`);
            for (const failure of gates.failures) context.log(`  ${failure}`);
            printLine({ name: options.name, created: false, gates_passed: false, failures: gates.failures });
            return;
          }
          context.log(`all ${gates.total} gate(s) passed in ${gates.file}`);
        }
        const metrics = options.metricsFrom
          ? await runMetrics(context.io.env, options.metricsFrom)
          : undefined;
        const result = await withRegistry((r) =>
          r.registerFlow(options.flow, {
            name: options.name,
            tags: {
              ...(options.variant ? { variant: options.variant } : {}),
              ...parseKeyValues(options.tag, "--tag"),
            },
            ...(options.variant ? { defaultVariant: options.variant } : {}),
            ...(options.exclude ? { exclude: options.exclude } : {}),
            ...(options.include ? { include: options.include } : {}),
            ...(metrics ? { metrics, metricsFrom: options.metricsFrom as string } : {}),
          }),
        );
        context.log(
          result.created
            ? `registered flow ${result.name}:${result.version}`
            : `unchanged: flow ${result.name}:${result.version} has this content`,
        );
        printLine(result);
      },
    );
  flow
    .command("list [name]")
    .description("list registered flow versions (all names, or one)")
    .action(async (name?: string) => print(await withRegistry((r) => r.list("flow", name))));
  flow
    .command("show <reference>")
    .description("show one version: name (latest), name:version or name:label")
    .addHelpText("after", "\nExample:\n  $ flowops registry flow show named-entity-recognition:production")
    .action(async (reference: string) => print(await withRegistry((r) => r.show("flow", reference))));
  flow
    .command("download <reference>")
    .description("write a version's files into a new folder")
    .requiredOption("--output <dir>", "the folder to create (must be missing or empty)")
    .action(async (reference: string, options: { output: string }) => {
      const { version, dir } = await withRegistry((r) => r.download("flow", reference, options.output));
      context.log(`downloaded flow ${version.name}:${version.version} to ${dir}`);
      printLine({ name: version.name, version: version.version, hash: version.hash, output: dir });
    });
  flow
    .command("label <reference> <label>")
    .description(
      "point a label (production, candidate, ...) at a version; labels move, versions never change",
    )
    .addHelpText("after", "\nExample:\n  $ flowops registry flow label named-entity-recognition:2 production")
    .action(async (reference: string, label: string) => {
      const set = await withRegistry((r) => r.label("flow", reference, label));
      context.log(`${set.name}:${label} -> ${set.name}:${set.version}`);
      printLine(set);
    });

  const data = registry.command("data").description("registered data versions");
  data
    .command("register")
    .description("register a data file (or folder) as a new version, unless unchanged")
    .requiredOption("--name <name>", "the data set's name")
    .requiredOption("--file <path>", "the data file or folder")
    .option("--tag <key=value...>", "tags kept with the version")
    .option("--exclude <pattern...>", "files of a folder to leave out (gitignore syntax)")
    .option("--include <pattern...>", "package files a default leaves out (gitignore syntax)")
    .addHelpText(
      "after",
      "\nExample:\n  $ flowops registry data register --name ner-test --file flows/named-entity-recognition/data/ner-test.jsonl",
    )
    .action(
      async (options: {
        name: string;
        file: string;
        tag?: string[];
        exclude?: string[];
        include?: string[];
      }) => {
        const result = await withRegistry((r) =>
          r.registerData(options.file, {
            name: options.name,
            tags: parseKeyValues(options.tag, "--tag"),
            ...(options.exclude ? { exclude: options.exclude } : {}),
            ...(options.include ? { include: options.include } : {}),
          }),
        );
        context.log(
          result.created
            ? `registered data ${result.name}:${result.version}`
            : `unchanged: data ${result.name}:${result.version} has this content`,
        );
        printLine(result);
      },
    );
  data
    .command("list [name]")
    .description("list registered data versions")
    .action(async (name?: string) => print(await withRegistry((r) => r.list("data", name))));
  data
    .command("show <reference>")
    .description("show one data version: name (latest), name:version or name:label")
    .action(async (reference: string) => print(await withRegistry((r) => r.show("data", reference))));
}

async function runMetrics(env: NodeJS.ProcessEnv, name: string): Promise<Record<string, number>> {
  return withRunStore(env, async (store) => {
    const run = await store.getRun(name);
    if (!run)
      throw new UserError("RunNotFound", `--metrics-from: no run named '${name}'.`, {
        field: "metrics-from",
      });
    return run.metrics ?? {};
  });
}
