import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { z } from "zod";
import { UserError } from "../core/errors.js";
import { parseAssetReference } from "../registry/asset-reference.js";
import type { TrafficEntry } from "../stores/deployment-store.js";

/**
 * `deployment.yaml`:
 *
 * ```yaml
 * endpoint: ner
 * traffic:
 *   - flow: named-entity-recognition:1
 *     weight: 90
 *   - flow: named-entity-recognition:2
 *     weight: 10
 * ```
 */
const deploymentFileSchema = z.strictObject({
  endpoint: z.string().min(1),
  traffic: z
    .array(z.strictObject({ flow: z.string().min(1), weight: z.number().min(0).default(100) }))
    .min(1),
});

/** A bad `--flow N:V[=weight]`, `deployment.yaml` or traffic split. */
export class DeploymentSpecError extends UserError {}

/** Parses `name:version[=weight]` (weight default 100; labels are resolved later). */
export function parseFlowWeight(text: string): { reference: string; weight: number } {
  const [reference = "", weightText, ...rest] = text.split("=");
  const weight = weightText === undefined ? 100 : Number(weightText);
  if (rest.length > 0 || !Number.isFinite(weight) || weight < 0 || weightText === "") {
    throw new DeploymentSpecError(
      "BadFlowWeight",
      `--flow '${text}' must be <name>:<version>[=<weight>] with a weight >= 0, e.g. named-entity-recognition:2=10.`,
      { field: "flow" },
    );
  }
  parseAssetReference(reference, { requireVersion: true });
  return { reference, weight };
}

/** Checks a split: at least one positive weight, no version listed twice. */
export function checkTraffic(endpoint: string, traffic: readonly TrafficEntry[]): void {
  if (!traffic.some((entry) => entry.weight > 0)) {
    throw new DeploymentSpecError(
      "NoTraffic",
      `The traffic split for endpoint '${endpoint}' gives no version a positive weight.`,
      { field: "flow" },
    );
  }
  const seen = new Set<string>();
  for (const entry of traffic) {
    const key = `${entry.flow}:${entry.version}`;
    if (seen.has(key)) {
      throw new DeploymentSpecError(
        "DuplicateVersion",
        `${key} is listed twice in the split for '${endpoint}'.`,
        {
          field: "flow",
        },
      );
    }
    seen.add(key);
  }
}

/** Reads a deployment.yaml: the endpoint and its `{reference, weight}` list. */
export async function readDeploymentFile(
  file: string,
): Promise<{ endpoint: string; traffic: { reference: string; weight: number }[] }> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, "utf8"));
  } catch (cause) {
    throw new DeploymentSpecError(
      "DeploymentFileUnreadable",
      `Cannot read ${file}: ${(cause as Error).message}`,
      {
        cause,
        location: { file },
      },
    );
  }
  const parsed = deploymentFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeploymentSpecError(
      "DeploymentFileInvalid",
      `${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message}. Expected endpoint: <name> and traffic: [{flow: <name>:<version>, weight: <n>}].`,
      { location: { file } },
    );
  }
  for (const entry of parsed.data.traffic) parseAssetReference(entry.flow, { requireVersion: true });
  return {
    endpoint: parsed.data.endpoint,
    traffic: parsed.data.traffic.map((entry) => ({ reference: entry.flow, weight: entry.weight })),
  };
}
