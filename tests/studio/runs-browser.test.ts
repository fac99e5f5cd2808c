import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStudio, type StudioSession } from "../support/studio-browser.js";

/** The studio's run, comparison and experiment pages in headless Chromium, driven by visible names only. */
let session: StudioSession;
beforeAll(async () => {
  session = await openStudio({ runCount: 60 });
});
afterAll(async () => {
  await session?.close();
});

describe("studio runs in a browser", () => {
  it("lists the runs a page at a time with status, progress, lines, tokens and duration", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole("link", { name: "Runs", exact: true }).click();
    await page.getByRole("link", { name: "ner-running" }).waitFor();
    expect(
      await page.getByRole("progressbar", { name: "Progress of ner-running" }).getAttribute("value"),
    ).toBe("0.4");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "ner-running" }) });
    expect(await row.textContent()).toContain("Running");
    expect(await page.getByRole("row").count()).toBe(51);
    await session.screenshot("runs");
    await page.getByRole("link", { name: "Next page" }).click();
    await page.getByRole("link", { name: "bulk-0000" }).waitFor();
    expect(await page.getByRole("link", { name: "Next page" }).count()).toBe(0);
    await page.getByLabel("Status").selectOption("Running");
    await expect.poll(() => page.getByRole("row").count()).toBe(2);
  });

  it("shows a run's metrics, evaluation runs and lines, filters the lines to failures, and opens a line's trace", async () => {
    const { page } = session;
    await page.goto(`${session.url}/runs`);
    await page.getByRole("link", { name: "ner-main", exact: true }).click();
    await page.getByRole("heading", { name: "Run ner-main" }).waitFor();
    await page.getByRole("link", { name: "ner-main-eval" }).waitFor();
    expect(await page.getByText("exact_match_rate = 0.5").isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("link", { name: "Trace", exact: true }).count()).toBe(4);
    await page.getByLabel("Only failed lines").check();
    await expect.poll(() => page.getByRole("link", { name: "Trace", exact: true }).count()).toBe(2);
    expect(await page.getByText("cleansing: Node 'cleansing' failed on line 1").isVisible()).toBe(true);
    await session.screenshot("run-lines-failed");
    await page.getByRole("link", { name: "Trace", exact: true }).first().click();
    await page.getByRole("heading", { name: "Trace of run ner-main line 1" }).waitFor();
    await page.getByText("cleansing").filter({ visible: true }).first().click();
    expect(
      await page.getByText("Error: Node 'cleansing' failed on line 1").filter({ visible: true }).count(),
    ).toBe(1);
    await session.screenshot("line-trace");
  });

  it("compares two runs side by side with the report's charts", async () => {
    const { page } = session;
    await page.goto(`${session.url}/runs`);
    await page.getByLabel("Select ner-main", { exact: true }).check();
    await page.getByLabel("Select ner-other", { exact: true }).check();
    await page.getByRole("button", { name: "Compare selected (2)" }).click();
    await page.getByRole("heading", { name: "Compare runs" }).waitFor();
    await page.getByRole("img", { name: "Bar chart: exact-match · exact_match_rate" }).waitFor();
    expect(await page.getByText(/4 of 4 lines differ/).isVisible()).toBe(true);
    await session.screenshot("compare");
  });

  it("shows the experiments with their gates", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole("link", { name: "Experiments" }).click();
    await page.getByRole("link", { name: "ner", exact: true }).click();
    await page.getByRole("heading", { name: "Gates" }).waitFor();
    expect(await page.getByText(/gate checks failed/).isVisible()).toBe(true);
    expect(await page.getByRole("cell", { name: "exact_match_rate" }).first().isVisible()).toBe(true);
    await session.screenshot("experiment");
  });

  it("shows the registry's flow versions and labels, and an endpoint's traffic split and production metrics", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole("link", { name: "Registry" }).click();
    await page.getByRole("cell", { name: "chat:2" }).waitFor();
    expect(await page.getByRole("row").filter({ hasText: "chat:2" }).textContent()).toContain("production");
    await session.screenshot("registry");
    await page.getByRole("link", { name: "Endpoints" }).click();
    await page.getByRole("link", { name: "support" }).click();
    await page.getByRole("heading", { name: "Production metrics" }).waitFor();
    expect(await page.getByRole("meter", { name: "Share of chat:1" }).getAttribute("value")).toBe("0.9");
    const v1 = page.getByRole("row").filter({ hasText: "chat:1" }).last();
    expect(await v1.textContent()).toContain("12.5%");
    await session.screenshot("endpoint");
  });
});
