import type { AppContext } from "./app-context.js";
import { type AppResponse, jsonResponse } from "./http-types.js";

/**
 * `GET /api/health` (anonymous): the flows served and loaded, and whether each store answers. 200 when
 * both stores answer, 503 otherwise.
 */
export async function health(app: AppContext): Promise<AppResponse> {
  const [runs, blobs] = await Promise.all([
    probe(() => app.runs.listRuns({ limit: 1 })),
    probe(() => app.blobs.exists("health/probe")),
  ]);
  const healthy = runs === "reachable" && blobs === "reachable";
  return jsonResponse(healthy ? 200 : 503, {
    status: healthy ? "Healthy" : "Unhealthy",
    flows: app.flows.names(),
    loaded: await app.flows.loadedNames(),
    stores: {
      runs: { kind: app.stores.runs, status: runs },
      blobs: { kind: app.stores.blobs, status: blobs },
    },
  });
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await check();
    return "reachable";
  } catch (error) {
    return `unreachable: ${(error as Error).message.split("\n")[0]}`;
  }
}
