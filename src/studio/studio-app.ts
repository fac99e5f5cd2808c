import { Hono } from "hono";
import { createStudioApi } from "./api/studio-api.js";
import { createAssetHandler, defaultAssetsDir } from "./static-assets.js";
import { createStudioContext, type StudioContext, type StudioOptions } from "./studio-context.js";
import { studioGuards } from "./studio-guards.js";

export interface StudioApp {
  /** Mount at `/`: the JSON API under `/api/studio`, the UI everywhere else (GET only). */
  app: Hono;
  context: StudioContext;
  close(): Promise<void>;
}

/**
 * The flowops studio: a Hono app with the studio's JSON API (flows, running a flow with streamed
 * output, traces, runs, comparisons, experiments, registry and endpoints) and the bundled UI. It obeys
 * the local-server rules (see `studioGuards`): loopback Host check, JSON-only POSTs, read-only beyond
 * loopback unless `allowRuns`.
 */
export function createStudioApp(options: StudioOptions): StudioApp {
  const context = createStudioContext(options);
  const app = new Hono();
  app.use("*", studioGuards(options));
  app.route("/api/studio", createStudioApi(context));
  const assets = createAssetHandler(options.assetsDir ?? defaultAssetsDir());
  app.get("/assets/*", assets);
  // Other /api routes belong to whatever the studio is mounted beside (the host's Functions).
  app.get("*", async (c, next) => (c.req.path.startsWith("/api/") ? next() : assets(c)));
  return { app, context, close: () => context.close() };
}
