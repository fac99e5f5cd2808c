import type { AppContext } from "./app-context.js";

export interface AppHealth {
  healthy: boolean;
  body: Record<string, unknown>;
}

/** How long a store reachability check is reused: an anonymous caller cannot make every call hit the stores. */
const PROBE_TTL_MS = 5_000;
/** A run name no run can have (names start with a letter or digit): a cheap point read. */
const PROBE_RUN = "_health-probe";

const probes = new WeakMap<AppContext, { at: number; result: Promise<{ runs: boolean; blobs: boolean }> }>();

/**
 * What `GET /api/health` (anonymous) shows: the flows served and loaded, and whether each store
 * answers ("reachable" / "unreachable", never the store's own error, which goes to the log). The
 * stores are probed with one point read each, at most every 5 s.
 */
export async function checkHealth(app: AppContext, now = Date.now()): Promise<AppHealth> {
  let probe = probes.get(app);
  if (!probe || now - probe.at > PROBE_TTL_MS) {
    probe = { at: now, result: probeStores(app) };
    probes.set(app, probe);
  }
  const { runs, blobs } = await probe.result;
  const healthy = runs && blobs;
  const status = (ok: boolean) => (ok ? "reachable" : "unreachable");
  return {
    healthy,
    body: {
      status: healthy ? "Healthy" : "Unhealthy",
      flows: app.flows.names(),
      loaded: await app.flows.loadedNames(),
      stores: {
        runs: { kind: app.stores.runs, status: status(runs) },
        blobs: { kind: app.stores.blobs, status: status(blobs) },
      },
    },
  };
}

async function probeStores(app: AppContext): Promise<{ runs: boolean; blobs: boolean }> {
  const [runs, blobs] = await Promise.all([
    probe(app, "runs", () => app.runs.getRun(PROBE_RUN)),
    probe(app, "blobs", () => app.blobs.exists("health/probe")),
  ]);
  return { runs, blobs };
}

async function probe(app: AppContext, store: string, check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    app.log("warning", `health: the ${store} store does not answer: ${(error as Error).message}`);
    return false;
  }
}
