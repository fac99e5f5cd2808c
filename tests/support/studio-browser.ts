import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { createStudioApp, type StudioApp } from "../../src/studio/index.js";
import { setupTelemetry } from "../../src/telemetry/index.js";
import { createStudioFixture, type StudioFixture } from "./studio-fixture.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Screenshots for review (git-ignored). */
export const SCREENSHOTS = path.join(ROOT, "test-results", "studio");

/** Debian's chromium (installed by .ci/run when missing), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const candidates = [process.env["CHROMIUM_PATH"], "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((file) => file && existsSync(file));
  if (!found)
    throw new Error(
      "No chromium found for the studio's browser tests: apt-get install -y chromium (or set CHROMIUM_PATH).",
    );
  return found;
}

function newest(folder: string): number {
  return Math.max(
    0,
    ...readdirSync(folder, { withFileTypes: true }).map((entry) =>
      entry.isDirectory()
        ? newest(path.join(folder, entry.name))
        : statSync(path.join(folder, entry.name)).mtimeMs,
    ),
  );
}

/**
 * The studio's UI bundle, built by `npm run build`. When it is missing or older than the UI sources (a
 * plain `vitest run` after an edit), this test process bundles its own copy in a temporary folder, so
 * that test files running side by side never rebuild the shared one under each other.
 */
export function ensureUiBuilt(): { dir: string; temporary: boolean } {
  const assets = path.join(ROOT, "dist", "studio");
  const bundle = path.join(assets, "assets", "studio.js");
  const sources = Math.max(
    newest(path.join(ROOT, "src", "studio", "ui")),
    statSync(path.join(ROOT, "src", "runs", "reports", "report-charts.ts")).mtimeMs,
  );
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return { dir: assets, temporary: false };
  const own = mkdtempSync(path.join(tmpdir(), "flowops-studio-ui-"));
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "build-studio.mjs"), "--out", own], {
    stdio: "inherit",
  });
  return { dir: own, temporary: true };
}

export interface StudioSession {
  fixture: StudioFixture;
  studio: StudioApp;
  url: string;
  browser: Browser;
  page: Page;
  /** Writes `<name>.png` into test-results/studio (the whole page unless `fullPage` is false). */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The studio on a free port over the studio fixture (example flows, seeded runs, registry and an
 * endpoint), and one headless Chromium page at 1,000 px wide.
 */
export async function openStudio(options: { runCount?: number } = {}): Promise<StudioSession> {
  const { dir: assetsDir, temporary } = ensureUiBuilt();
  const fixture = await createStudioFixture(options);
  setupTelemetry({ home: fixture.home, env: fixture.env, propagateContext: false });
  const studio = createStudioApp({ flows: fixture.flows, runs: fixture.runs, env: fixture.env, assetsDir });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: studio.app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
      resolve(started),
    );
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox"],
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  page.setDefaultTimeout(10_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    fixture,
    studio,
    url,
    browser,
    page,
    screenshot: async (name, options = {}) => {
      await page.screenshot({
        path: path.join(SCREENSHOTS, `${name}.png`),
        fullPage: options.fullPage ?? true,
      });
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await studio.close();
      await fixture.close();
      if (temporary) rmSync(assetsDir, { recursive: true, force: true });
    },
  };
}
