import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../tests/support/run-cli.js";

const home = mkdtempSync(path.join(tmpdir(), "flowops-studio-cli-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const env = { ...process.env, FLOWOPS_HOME: home, FLOWOPS_LLM_MODE: "replay" };
const flows = path.resolve(import.meta.dirname, "../../../flows");

describe("flowops studio", () => {
  it("serves the studio's API and page until stopped", async () => {
    const stop = new AbortController();
    let ready!: (url: string) => void;
    const listening = new Promise<string>((resolve) => {
      ready = resolve;
    });
    const running = runCli(["studio", "--port", "0", "--flows", flows], {
      env,
      signal: stop.signal,
      onReady: ({ url }) => ready(url),
    });
    const url = await listening;
    const list = (await (await fetch(`${url}/api/studio/flows`)).json()) as { flows: { name: string }[] };
    expect(list.flows.map((flow) => flow.name)).toEqual(
      expect.arrayContaining(["chat", "named-entity-recognition"]),
    );
    const page = await fetch(`${url}/runs`);
    expect(page.headers.get("content-type")).toMatch(/text\/(html|plain)/);
    stop.abort();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`flowops studio on ${url}/`);
  });

  it("rejects a port that is not a number", async () => {
    const result = await runCli(["studio", "--port", "eighty"], { env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("--port must be a port number");
  });
});
