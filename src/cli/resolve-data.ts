import { existsSync } from "node:fs";
import path from "node:path";
import type { CliContext } from "./cli-context.js";

/** `--data`: an existing file or folder, else a registered data set NAME:VERSION or prod:ENDPOINT[:since]. */
export async function resolveData(
  reference: string,
  context: CliContext,
): Promise<{ data: string; dataVersion?: string }> {
  if (existsSync(reference)) return { data: path.resolve(reference) };
  const env = context.io.env;
  // Loaded on demand: the registry and deployment stores pull in the Azure SDKs.
  const { resolveDataReference } = await import("../deploy/resolve-data-reference.js");
  const { openDeploymentStores } = await import("../deploy/open-deployment-stores.js");
  const { openRegistry } = await import("../registry/open-registry.js");
  const production = reference.startsWith("prod:");
  const registry = production ? undefined : await openRegistry(env);
  const deployments = production ? await openDeploymentStores(env) : undefined;
  try {
    const resolved = await resolveDataReference(reference, {
      env,
      ...(registry ? { registry: registry.registry } : {}),
      ...(deployments ? { requests: deployments.requests } : {}),
    });
    context.debug(`--data ${reference} resolved to ${resolved.path}`);
    return {
      data: path.resolve(resolved.path),
      ...(resolved.version ? { dataVersion: resolved.version } : {}),
    };
  } finally {
    await registry?.close();
    await deployments?.close();
  }
}
