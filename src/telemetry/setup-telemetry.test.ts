import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConnectionFileStore } from "../connections/connection-file-store.js";
import { readStoredSpans } from "./local-span-store.js";
import { setupTelemetry, type Telemetry } from "./setup-telemetry.js";

const SECRET = "sk-live-0123456789abcdef";

describe("setupTelemetry", () => {
  let home: string;
  let telemetry: Telemetry | undefined;
  let collector: Server | undefined;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), "flowops-telemetry-"));
  });
  afterEach(async () => {
    await telemetry?.shutdown();
    collector?.close();
    await rm(home, { recursive: true, force: true });
  });

  async function runTwoSpans(): Promise<void> {
    const tracer = trace.getTracer("flowops-test");
    await tracer.startActiveSpan("flow", async (flow) => {
      flow.setAttribute("inputs", JSON.stringify({ question: "hi", api_key: SECRET }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      // The child is started after an await: its parent must still be the flow span.
      await tracer.startActiveSpan("node answer", async (node) => {
        node.setAttribute("connection.api_key", SECRET);
        node.setAttribute("llm.usage.total_tokens", 12);
        node.end();
      });
      flow.end();
    });
  }

  it("keeps redacted spans, parented across awaits, in the local store under FLOWOPS_HOME/traces", async () => {
    telemetry = setupTelemetry({ home, env: {} });
    await runTwoSpans();
    await telemetry.flush();

    const spans = await readStoredSpans(home);
    expect(spans.map((s) => s.name).sort()).toEqual(["flow", "node answer"]);
    const flow = spans.find((s) => s.name === "flow")!;
    const node = spans.find((s) => s.name === "node answer")!;
    expect(node.parent_span_id).toBe(flow.span_id);
    expect(node.trace_id).toBe(flow.trace_id);
    expect(node.attributes["connection.api_key"]).toBe("***");
    expect(node.attributes["llm.usage.total_tokens"]).toBe(12);
    expect(JSON.stringify(spans)).not.toContain(SECRET);
    const [file] = await readdir(path.join(home, "traces"));
    expect((await stat(path.join(home, "traces", file!))).mode & 0o777).toBe(0o600);
  });

  it("also exports over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, without secrets", async () => {
    const bodies: string[] = [];
    collector = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        bodies.push(`${request.url} ${body}`);
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector!.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;

    telemetry = setupTelemetry({ home, env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` } });
    expect(telemetry.otlp).toBe(true);
    await runTwoSpans();
    await telemetry.flush();

    const received = bodies.join("\n");
    expect(received).toContain("/v1/traces");
    expect(received).toContain("node answer");
    expect(received).not.toContain(SECRET);
  });

  it("scrubs a connection's secret of any format from status messages, events and attributes", async () => {
    // A key in no known format, from a connection file: only its exact value can find it.
    const key = "q7Zx.unknown-format.9931";
    const connections = createConnectionFileStore(home);
    await connections.upsert({ name: "svc", type: "custom", configs: {}, secrets: { key } });
    await connections.get("svc");
    const bodies: string[] = [];
    collector = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        bodies.push(body);
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector!.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    telemetry = setupTelemetry({ home, env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` } });
    const span = trace.getTracer("flowops-test").startSpan("node call_tool");
    span.setAttribute("output", `tool said ${key}`);
    span.recordException(new Error(`upstream refused ${key}`));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `tool failed with key ${key}` });
    span.end();
    await telemetry.flush();

    const [stored] = await readStoredSpans(home);
    expect(stored?.status_message).toBe("tool failed with key ***");
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(bodies.join("\n")).toContain("node call_tool");
    expect(bodies.join("\n")).not.toContain(key);
  });
});
