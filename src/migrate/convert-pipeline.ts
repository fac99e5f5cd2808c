import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { UserError } from "../core/errors.js";
import { experimentSchema } from "../runs/experiments/experiment-schema.js";

export interface ConvertPipelineOptions {
  /** The LLMOps template's `experiment.yaml`. */
  experiment?: string;
  /** The LLMOps template's `deployment_config.json` (or the folder holding it). */
  deploymentConfig?: string;
  /** Where to write; default: the experiment's folder (else the deployment config's). */
  outputDir?: string;
  /** The registered flow name for deployment files; default: the experiment's name. */
  flowName?: string;
}

export interface ConvertedFile {
  file: string;
  description: string;
}

/**
 * `flowops migrate pipeline`: the LLMOps template's `experiment.yaml` becomes flowops' experiment file
 * (`mappings` → `column_mapping`, `azureml:name:version` data → registered `name:version`, paths
 * rebased to the output folder) and each `deployment_config.json` endpoint (per environment) a
 * `deployment.<env>.yaml` with the prior/current traffic split (prior → `<flow>:production`,
 * current → `<flow>:latest`; adjust to the versions you register).
 */
export async function convertPipeline(options: ConvertPipelineOptions): Promise<ConvertedFile[]> {
  if (!options.experiment && !options.deploymentConfig) {
    throw new UserError(
      "NothingToConvert",
      "Give --experiment experiment.yaml and/or --deployment-config deployment_config.json.",
    );
  }
  const outputDir = path.resolve(
    options.outputDir ?? path.dirname(options.experiment ?? options.deploymentConfig ?? "."),
  );
  const written: ConvertedFile[] = [];
  let experimentName: string | undefined;
  if (options.experiment) {
    const { file, name } = await convertExperiment(path.resolve(options.experiment), outputDir);
    experimentName = name;
    written.push({ file, description: `experiment '${name}'` });
  }
  if (options.deploymentConfig) {
    const flowName = options.flowName ?? experimentName;
    if (!flowName) {
      throw new UserError(
        "FlowNameMissing",
        "Name the registered flow the deployments serve: pass --flow-name NAME (or --experiment, whose name is used).",
        { field: "flow-name" },
      );
    }
    written.push(...(await convertDeployments(path.resolve(options.deploymentConfig), outputDir, flowName)));
  }
  return written;
}

async function convertExperiment(file: string, outputDir: string): Promise<{ file: string; name: string }> {
  const raw = (await readYaml(file)) as Record<string, unknown>;
  const from = path.dirname(file);
  const rebase = (p: unknown): unknown =>
    typeof p === "string" && !p.includes(":") ? path.relative(outputDir, path.resolve(from, p)) || "." : p;
  const source = (s: unknown): unknown =>
    typeof s === "string" && s.startsWith("azureml:") ? s.slice("azureml:".length) : rebase(s);
  const dataset = (d: Record<string, unknown>) => {
    const { mappings, source: src, ...rest } = d;
    return {
      ...rest,
      ...(src !== undefined ? { source: source(src) } : {}),
      ...(mappings !== undefined && rest.column_mapping === undefined ? { column_mapping: mappings } : {}),
    };
  };
  const converted: Record<string, unknown> = {
    name: raw.name,
    ...(raw.description ? { description: raw.description } : {}),
    flow: rebase(raw.flow),
    datasets: ((raw.datasets as Record<string, unknown>[]) ?? []).map(dataset),
    evaluators: ((raw.evaluators as Record<string, unknown>[]) ?? []).map((e) => ({
      ...e,
      flow: rebase(e.flow),
      ...(Array.isArray(e.datasets)
        ? {
            datasets: e.datasets.map((d) =>
              typeof d === "string" ? d : dataset(d as Record<string, unknown>),
            ),
          }
        : {}),
    })),
    ...(raw.variants ? { variants: raw.variants } : {}),
    ...(raw.connections ? { connections: raw.connections } : {}),
  };
  const parsed = experimentSchema.safeParse(converted);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      "ExperimentNotConvertible",
      `${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}. Fix the LLMOps experiment.yaml (or write flowops' experiment file by hand).`,
      { location: { file } },
    );
  }
  const target = path.join(outputDir, "experiment.flowops.yaml");
  const header = `# Converted from ${path.relative(outputDir, file)} by 'flowops migrate pipeline'.\n# Add quality gates under 'gates:' (metric, evaluator, min/max) for CI to block on.\n`;
  await writeFile(target, header + stringify(converted));
  return { file: target, name: String(raw.name) };
}

interface ManagedEndpoint {
  ENV_NAME?: string;
  ENDPOINT_NAME?: string;
  PRIOR_DEPLOYMENT_NAME?: string;
  PRIOR_DEPLOYMENT_TRAFFIC_ALLOCATION?: string | number;
  CURRENT_DEPLOYMENT_NAME?: string;
  CURRENT_DEPLOYMENT_TRAFFIC_ALLOCATION?: string | number;
}

async function convertDeployments(
  file: string,
  outputDir: string,
  flowName: string,
): Promise<ConvertedFile[]> {
  const jsonFile = file.endsWith(".json") ? file : path.join(file, "deployment_config.json");
  let config: Record<string, ManagedEndpoint[] | undefined>;
  try {
    config = JSON.parse(await readFile(jsonFile, "utf8"));
  } catch (error) {
    throw new UserError(
      "DeploymentConfigUnreadable",
      `Cannot read ${jsonFile} as JSON: ${(error as Error).message}`,
      {
        location: { file: jsonFile },
      },
    );
  }
  const endpoints = [
    ...(config.azure_managed_endpoint ?? []),
    ...(config.kubernetes_endpoint ?? []),
    ...(config.webapp_endpoint ?? []),
  ];
  const written: ConvertedFile[] = [];
  const seen = new Set<string>();
  for (const endpoint of endpoints) {
    const env = endpoint.ENV_NAME || "dev";
    if (seen.has(env)) continue;
    seen.add(env);
    const name = endpoint.ENDPOINT_NAME || `${flowName}-${env}`;
    const traffic: { flow: string; weight: number }[] = [];
    const prior = Number(endpoint.PRIOR_DEPLOYMENT_TRAFFIC_ALLOCATION || 0);
    const current = Number(endpoint.CURRENT_DEPLOYMENT_TRAFFIC_ALLOCATION || (prior > 0 ? 100 - prior : 100));
    if (endpoint.PRIOR_DEPLOYMENT_NAME && prior > 0)
      traffic.push({ flow: `${flowName}:production`, weight: prior });
    traffic.push({ flow: `${flowName}:latest`, weight: current });
    const target = path.join(outputDir, `deployment.${env}.yaml`);
    const header = `# Converted from ${path.relative(outputDir, jsonFile)} (${env}) by 'flowops migrate pipeline'.\n# 'production' is the prior deployment's version, 'latest' the current one: use registered versions or labels.\n`;
    await writeFile(target, header + stringify({ endpoint: name, traffic }));
    written.push({ file: target, description: `deployment of endpoint '${name}' (${env})` });
  }
  return written;
}

async function readYaml(file: string): Promise<unknown> {
  try {
    return parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UserError("ExperimentUnreadable", `Cannot read ${file}: ${(error as Error).message}`, {
      location: { file },
    });
  }
}
