import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStudio, type StudioSession } from "../support/studio-browser.js";

/** The studio's flow pages in headless Chromium, driven only by what a user sees (links, labels, buttons). */
let session: StudioSession;
beforeAll(async () => {
  session = await openStudio();
});
afterAll(async () => {
  await session?.close();
});

describe("studio flows in a browser", () => {
  it("lists the flows as links named by the flow, and shows a flow's DAG, templates and code", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole("link", { name: "named-entity-recognition", exact: true }).click();
    await expect
      .poll(() => page.getByRole("heading", { name: "Flow named-entity-recognition" }).isVisible())
      .toBe(true);
    const graph = page.getByRole("img", { name: /Flow graph: 2 nodes/ });
    await graph.waitFor();
    expect(await graph.textContent()).toContain("variants: variant_0, variant_1");
    expect(await page.getByText("NER_LLM (variant_1)").isVisible()).toBe(true);
    expect(await page.getByText("Text content: The ferry leaves Helsinki").first().isVisible()).toBe(true);
    expect(await page.getByText("cleansing · typescript · cleansing.ts").isVisible()).toBe(true);
    await session.screenshot("flow-page");
  });

  it("runs a flow from its form with the variant picked, streams the output and links to its trace", async () => {
    const { page } = session;
    await page.goto(`${session.url}/flows/named-entity-recognition`);
    await page.getByLabel("entity_type").fill("job title");
    await page.getByLabel("Variant").selectOption({ label: "${NER_LLM.variant_1}" });
    await page.getByRole("button", { name: "Run" }).click();
    const trace = page.getByRole("link", { name: "Trace", exact: true });
    await trace.waitFor();
    await session.screenshot("flow-run");
    // The README's picture of a flow page (docs/images/studio-flow.png is a copy of it).
    await page.setViewportSize({ width: 1000, height: 900 });
    await session.screenshot("readme-flow", { fullPage: false });
    await page.setViewportSize({ width: 1000, height: 800 });
    const result = page.getByRole("region", { name: /Result/ });
    expect(await result.textContent()).toContain("Completed");
    expect(await result.getByRole("term").textContent()).toBe("entities");
    await trace.click();
    await page.getByRole("list", { name: "Spans" }).waitFor();
    await page.getByText("NER_LLM").first().click();
    await page
      .getByText(/tokens: \d+ prompt \+ \d+ completion = \d+/)
      .filter({ visible: true })
      .waitFor();
    expect(await page.getByRole("heading", { name: "Inputs" }).filter({ visible: true }).count()).toBe(1);
    await session.screenshot("trace");
    await session.screenshot("readme-trace", { fullPage: false });
  });

  it("builds a typed field per input: image upload, whole number, checkbox and text", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole("link", { name: "image-kind", exact: true }).click();
    // A 1×1 PNG.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    await page.getByLabel("photo").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: png });
    await page.getByLabel("copies").fill("3");
    await page.getByLabel("urgent").check();
    await page.getByLabel("caption").fill("a dot");
    await page.getByRole("button", { name: "Run" }).click();
    const result = page.getByRole("region", { name: /Result/ });
    await result.getByText("image/png × 3 (urgent): a dot").waitFor();
    // int inputs take whole numbers only (the browser checks the step before the form is sent).
    expect(await page.getByLabel("copies").getAttribute("type")).toBe("number");
    expect(await page.getByLabel("copies").getAttribute("step")).toBe("1");
  });

  it("chats with a chat flow over several turns, keeping the history", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole("link", { name: "chat", exact: true }).click();
    await page.getByLabel("Message").fill("What is Prompt Flow?");
    await page.getByRole("button", { name: "Send" }).click();
    await page
      .getByRole("list", { name: "Conversation" })
      .getByRole("link", { name: "Trace", exact: true })
      .waitFor();
    const conversation = page.getByRole("list", { name: "Conversation" });
    expect(await conversation.getByText(/^Prompt Flow is a development tool/).isVisible()).toBe(true);
    await page.getByLabel("Message").fill("Can I run it without the cloud?");
    await page.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() =>
        page
          .getByRole("list", { name: "Conversation" })
          .getByRole("link", { name: "Trace", exact: true })
          .count(),
      )
      .toBe(2);
    // The second answer comes from the recording whose prompt holds the first turn as history.
    expect(await conversation.getByText(/^Yes\. Flows run locally/).isVisible()).toBe(true);
    expect(await conversation.getByRole("listitem").count()).toBe(2);
    expect(await conversation.getByText(/No recording/).count()).toBe(0);
    await session.screenshot("chat");
  });

  it("shows a broken flow's validation problems at their line, and no run button", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole("link", { name: "broken", exact: true }).click();
    await page.getByRole("heading", { name: /Validation problems/ }).waitFor();
    expect(
      await page
        .getByText(/flow\.dag\.yaml:\d+/)
        .first()
        .isVisible(),
    ).toBe(true);
    expect(await page.getByRole("button", { name: "Run" }).count()).toBe(0);
    await session.screenshot("flow-problems");
  });

  it("is keyboard-usable: a skip link first, then the navigation links in order", async () => {
    const { page } = session;
    await page.goto(session.url);
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe("Skip to content");
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe("Flows");
    const outline = await page.evaluate<string>("getComputedStyle(document.activeElement).outlineStyle");
    expect(outline).toBe("solid");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Runs", exact: true }).waitFor();
    // After navigating, focus moves to the page's content, so the next Tab starts there. The router
    // moves it in the animation frame after the new page renders: wait for that frame, not the heading.
    await page
      .waitForFunction("document.activeElement?.id === 'main'", undefined, { timeout: 5_000 })
      .catch(() => {});
    expect(await page.evaluate<string>("document.activeElement.id")).toBe("main");
  });
});
