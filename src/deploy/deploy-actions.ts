import { UserError } from "../core/errors.js";
import { currentUser } from "../registry/current-user.js";
import type { Registry } from "../registry/registry.js";
import {
  type DeploymentAction,
  type DeploymentRecord,
  type DeploymentStore,
  EndpointNotFoundError,
  type TrafficEntry,
} from "../stores/deployment-store.js";
import { checkTraffic } from "./deployment-file.js";

export interface DeployContext {
  deployments: DeploymentStore;
  registry: Registry;
  /** For FLOWOPS_USER / GITHUB_ACTOR. */
  env?: NodeJS.ProcessEnv;
}

/** A promote or rollback that has nothing to act on. */
export class DeploymentStateError extends UserError {}

/**
 * Sets an endpoint's traffic split: each `name:version` (or `name:label`, resolved now, so the split
 * names fixed versions) must be registered. The new split is the endpoint's next revision.
 */
export async function deployTraffic(
  context: DeployContext,
  endpoint: string,
  specs: readonly { reference: string; weight: number }[],
): Promise<DeploymentRecord> {
  const traffic: TrafficEntry[] = [];
  for (const spec of specs) {
    const version = await context.registry.resolve("flow", spec.reference);
    traffic.push({ flow: version.name, version: version.version, weight: spec.weight });
  }
  checkTraffic(endpoint, traffic);
  const current = await context.deployments.current(endpoint);
  return append(context, endpoint, traffic, "deploy", current?.revision ?? 0);
}

/**
 * Gives the candidate all the traffic and labels it `production`. The candidate is the served version
 * labelled `candidate` in the registry, else the one with the smallest positive share.
 */
export async function promoteCandidate(context: DeployContext, endpoint: string): Promise<DeploymentRecord> {
  const current = await requireCurrent(context, endpoint);
  const live = current.traffic.filter((entry) => entry.weight > 0);
  if (live.length < 2) {
    throw new DeploymentStateError(
      "NothingToPromote",
      `Endpoint '${endpoint}' already sends all its traffic to ${live.map(label).join(", ")}: there is no candidate to promote.`,
    );
  }
  let candidate: TrafficEntry | undefined;
  for (const entry of live) {
    const labels = await context.registry.labels("flow", entry.flow);
    if (labels.some((l) => l.label === "candidate" && l.version === entry.version)) candidate = entry;
  }
  candidate ??= [...live].sort((a, b) => a.weight - b.weight || b.version - a.version)[0] as TrafficEntry;
  const record = await append(
    context,
    endpoint,
    [{ flow: candidate.flow, version: candidate.version, weight: 100 }],
    "promote",
    current.revision,
  );
  await context.registry.label("flow", label(candidate), "production");
  return record;
}

/**
 * Restores the split in force before the current one. Rolling back a rollback goes one step further
 * back (an undo stack), not forward again.
 */
export async function rollbackDeployment(
  context: DeployContext,
  endpoint: string,
): Promise<DeploymentRecord> {
  const current = await requireCurrent(context, endpoint);
  const from =
    current.action === "rollback" ? (current.restored_revision ?? current.revision) : current.revision;
  const history = await context.deployments.history(endpoint);
  const target = history.find((record) => record.revision === from - 1);
  if (!target) {
    throw new DeploymentStateError(
      "NothingToRollBack",
      `Endpoint '${endpoint}' has no split before revision ${from} to roll back to (see 'flowops deploy show --endpoint ${endpoint}').`,
    );
  }
  return append(context, endpoint, target.traffic, "rollback", current.revision, target.revision);
}

async function requireCurrent(context: DeployContext, endpoint: string): Promise<DeploymentRecord> {
  const current = await context.deployments.current(endpoint);
  if (!current) throw new EndpointNotFoundError(endpoint);
  return current;
}

function append(
  context: DeployContext,
  endpoint: string,
  traffic: TrafficEntry[],
  action: DeploymentAction,
  expectedRevision: number,
  restored?: number,
): Promise<DeploymentRecord> {
  return context.deployments.append(
    {
      endpoint,
      traffic,
      action,
      ...(restored !== undefined ? { restored_revision: restored } : {}),
      updated_on: new Date().toISOString(),
      updated_by: currentUser(context.env),
    },
    expectedRevision,
  );
}

function label(entry: TrafficEntry): string {
  return `${entry.flow}:${entry.version}`;
}
