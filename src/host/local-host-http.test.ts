import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalHost, startLocalHost } from "./local-host.js";

/** A raw request with any Host header (fetch does not let a caller choose it). */
function post(url: string, pathname: string, host: string, body: unknown) {
  const target = new URL(url);
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: pathname,
        method: "POST",
        headers: { host, "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("the local host's HTTP server (DNS rebinding, status URLs)", () => {
  let work: string;
  const hosts: LocalHost[] = [];
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "flowops-host-http-"));
    mkdirSync(path.join(work, "flows"));
    symlinkSync(path.resolve("tests/fixtures/serve/echo"), path.join(work, "flows", "echo"));
  });
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    rmSync(work, { recursive: true, force: true });
  });
  const start = async (settings: NodeJS.ProcessEnv) => {
    const host = await startLocalHost({
      root: work,
      flowsDir: path.join(work, "flows"),
      port: 0,
      settings: { FLOWOPS_HOME: path.join(work, "home"), ...settings },
      stateDir: path.join(work, `durable-${hosts.length}`),
      log: () => {},
    });
    hosts.push(host);
    return host;
  };

  it("answers only loopback Host values, and builds status URLs from its own address, not the Host header", async () => {
    const host = await start({});
    const port = new URL(host.url).port;
    const rebound = await post(host.url, "/api/flows/echo", `attacker.example:${port}`, { text: "x" });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toEqual({ error: expect.objectContaining({ code: "ForbiddenHost" }) });
    const run = await post(host.url, "/api/flows/echo/runs", `localhost:${port}`, {
      name: "host-url-1",
      data: [{ text: "a" }],
    });
    expect(run.status).toBe(202);
    expect(run.body["statusQueryGetUri"]).toBe(`${host.url}/api/runs/host-url-1`);
    await host.runtime.whenIdle();
  });

  it("takes its base URL and extra host names from the settings", async () => {
    const host = await start({
      FLOWOPS_BASE_URL: "https://flows.example.test/",
      FLOWOPS_ALLOWED_HOSTS: "flows.example.test",
    });
    const run = await post(host.url, "/api/flows/echo/runs", "flows.example.test", {
      name: "host-url-2",
      data: [{ text: "a" }],
    });
    expect(run.status).toBe(202);
    expect(run.body["statusQueryGetUri"]).toBe("https://flows.example.test/api/runs/host-url-2");
    await host.runtime.whenIdle();
  });
});
