import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalHost, startLocalHost } from "../../src/host/local-host.js";
import { createStudioApp, type StudioApp } from "../../src/studio/index.js";
import { ensureUiBuilt } from "../support/studio-browser.js";

/** `npm start`'s host serves the studio at "/" beside the Functions routes under /api, on one HTTP app. */
const root = path.resolve(import.meta.dirname, "../..");
const home = mkdtempSync(path.join(tmpdir(), "flowops-host-studio-"));
let host: LocalHost;
let studio: StudioApp | undefined;
const assets = ensureUiBuilt();

beforeAll(async () => {
  const settings: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    FLOWOPS_HOME: home,
    FLOWOPS_LLM_MODE: "replay",
  };
  host = await startLocalHost({
    root,
    port: 0,
    settings,
    stateDir: path.join(home, "durable"),
    log: () => {},
    mounts: (app) => {
      studio = createStudioApp({
        flows: app.flows,
        runs: app.runs,
        env: settings,
        checkHost: false,
        assetsDir: assets.dir,
      });
      return [{ path: "/", app: studio.app }];
    },
  });
});
afterAll(async () => {
  await host?.stop();
  await studio?.close();
  rmSync(home, { recursive: true, force: true });
  if (assets.temporary) rmSync(assets.dir, { recursive: true, force: true });
});

describe("the local host with the studio", () => {
  it("serves the studio's page and API at / and keeps the Functions routes under /api", async () => {
    const page = await fetch(`${host.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const flows = (await (await fetch(`${host.url}/api/studio/flows`)).json()) as {
      flows: { name: string }[];
    };
    expect(flows.flows.map((f) => f.name)).toEqual(host.app.flows.names());
    const health = await fetch(`${host.url}/api/health`);
    expect(health.status).toBe(200);
    const scored = await fetch(`${host.url}/api/flows/named-entity-recognition`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({}),
    });
    expect(scored.status).toBe(200);
  });

  it("applies the HTTP app's rules to the studio: JSON-only POSTs and the loopback Host check", async () => {
    const form = await fetch(`${host.url}/api/studio/flows/chat/run`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    expect(form.status).toBe(415);
    const port = new URL(host.url).port;
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port,
        path: "/api/studio/flows",
        headers: { host: `evil.example:${port}` },
      });
      req.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
