/**
 * Seeded fuzz of every HTTP route (issue 10): `flow serve`'s and the Functions app's, through the one
 * HTTP app with `app.request` (no server). Random methods, paths (bad percent-encoding, traversal,
 * unicode), headers (content types, Accept), and bodies (random JSON, wrong types for every declared
 * input, non-JSON, deep nesting, huge strings). Properties: no answer is a 5xx, and every error is
 * well-formed JSON `{ error: { code, message } }`.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppContext, createAppContext } from "../../src/app/app-context.js";
import { buildFunctionTable, type HttpFunction } from "../../src/app/function-table.js";
import type { FlowFunction } from "../../src/flow-function.js";
import { LocalDurableRuntime } from "../../src/host/durable/local-durable-runtime.js";
import { createHttpApp } from "../../src/http/create-http-app.js";
import { functionRoutes } from "../../src/http/function-routes.js";
import { loadFlow } from "../../src/load-flow.js";
import { createFlowServer } from "../../src/serve/create-flow-server.js";

const root = path.resolve(import.meta.dirname, "../..");
const SEED = 20_261_129;
let work: string;
let app: AppContext;
let runtime: LocalDurableRuntime;
let typed: FlowFunction;
let serveApp: Hono;
let functionsApp: Hono;
const serverErrors: string[] = [];
const statuses = new Map<number, number>();

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "flowops-http-fuzz-"));
  const flows = path.join(work, "flows");
  mkdirSync(flows);
  for (const name of ["typed", "echo", "stream"]) {
    symlinkSync(path.join(root, "tests/fixtures/serve", name), path.join(flows, name));
  }
  const env = { FLOWOPS_HOME: path.join(work, "home") };
  typed = await loadFlow(path.join(flows, "typed"), { env, tracing: false });
  serveApp = createFlowServer({ flow: typed, log: (_level, message) => serverErrors.push(message) })
    .app as unknown as Hono;
  app = await createAppContext({ settings: env, flowsDir: flows, log: () => {} });
  const table = buildFunctionTable(app.flows.names());
  runtime = new LocalDurableRuntime({
    stateDir: path.join(work, "durable"),
    orchestrations: Object.fromEntries(
      table.flatMap((fn) => (fn.kind === "orchestration" ? [[fn.name, fn.handler]] : [])),
    ),
    activities: Object.fromEntries(
      table.flatMap((fn) =>
        fn.kind === "activity" ? [[fn.name, (input: unknown) => fn.handler(input, app)]] : [],
      ),
    ),
  });
  functionsApp = createHttpApp({
    mounts: [
      {
        path: "/",
        app: functionRoutes(
          table.filter((fn): fn is HttpFunction => fn.kind === "http"),
          () => ({ app, client: runtime }),
        ),
      },
    ],
    log: (_level, message) => serverErrors.push(message),
  }) as unknown as Hono;
});

afterAll(async () => {
  if (process.env["FLOWOPS_FUZZ_STATS"]) console.log([...statuses].sort((a, b) => a[0] - b[0]));
  await runtime?.whenIdle();
  await typed?.close();
  await app?.close();
  rmSync(work, { recursive: true, force: true });
});

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/** Path pieces that have broken routers: bad and double percent-encoding, traversal, unicode, NUL. */
const hostileSegment = fc.oneof(
  fc.constantFrom(
    "%",
    "%E0%A4%A",
    "%zz",
    "%00",
    "%2F",
    "%252F",
    "..",
    "%2e%2e",
    "é",
    "💥",
    "a b",
    ";x",
    "?x=%",
    "#",
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ maxLength: 12 }),
);

function pathsFrom(known: string[]) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...known), hostileSegment)
        .map(([base, segment]) => `${base}/${segment}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...known), hostileSegment)
        .map(([base, segment]) => base.replace(/[^/]+$/, segment)),
    },
    {
      weight: 1,
      arbitrary: fc.array(hostileSegment, { maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
    },
  );
}

/** Values of every JSON type, for every declared input, including the wrong ones. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, 3.5, -0, 1e308, 2 ** 60, "", "3", "true", "[1]", '{"a":1}', "\n".repeat(5000)),
);
const inputsBody = fc
  .record(
    {
      text: anyValue,
      count: anyValue,
      ratio: anyValue,
      flag: anyValue,
      items: anyValue,
      settings: anyValue,
      chat_history: fc.oneof(
        anyValue,
        fc.array(fc.record({ inputs: fc.record({ question: anyValue }), outputs: anyValue }), {
          maxLength: 3,
        }),
      ),
      words: anyValue,
      name: fc.oneof(fc.constantFrom("fuzz-run", "bad name", "", "x".repeat(200)), anyValue),
      data: fc.oneof(
        anyValue,
        fc.array(fc.dictionary(fc.string({ maxLength: 5 }), anyValue), { maxLength: 2 }),
      ),
      evaluations: anyValue,
      column_mapping: anyValue,
      concurrency: anyValue,
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

const body = fc.oneof(
  { weight: 6, arbitrary: inputsBody },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "null", "[]", "1", '"x"', "{", '{"text":', "\u0000") },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 65, max: 100_000 })
      .chain((depth) =>
        fc.constantFrom(
          `{"chat_history": ${"[".repeat(depth)}${"]".repeat(depth)}}`,
          `{"settings": ${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
        ),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 10_000, max: 1_000_000 })
      .map((n) => JSON.stringify({ text: "x".repeat(n) })),
  },
);

const contentType = fc.option(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "application/problem+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonx",
    "",
  ),
  { nil: undefined },
);
const accept = fc.option(
  fc.constantFrom(
    "application/json",
    "text/event-stream",
    "*/*",
    "text/html",
    "text/event-stream;q=0.5, */*",
    "",
  ),
  { nil: undefined },
);

type Request_ = {
  method: string;
  path: string;
  query: string;
  contentType: string | undefined;
  accept: string | undefined;
  body: string;
};

function requests(known: string[]): fc.Arbitrary<Request_> {
  return fc.record({
    method: fc.constantFrom(...METHODS),
    path: pathsFrom(known),
    query: fc.constantFrom(
      "",
      "?limit=3",
      "?offset=-1",
      "?limit=abc",
      "?offset=%zz",
      "?limit=99999999999999999999",
    ),
    contentType,
    accept,
    body,
  });
}

async function expectWellFormed(server: Hono, request: Request_) {
  const headers: Record<string, string> = {};
  if (request.contentType !== undefined) headers["content-type"] = request.contentType;
  if (request.accept !== undefined) headers["accept"] = request.accept;
  const withBody = request.method !== "GET" && request.method !== "HEAD";
  let url: string;
  try {
    url = new URL(`http://localhost${request.path}${request.query}`).toString();
  } catch {
    return; // not a URL any client could send
  }
  const response = await server.request(url, {
    method: request.method,
    headers,
    ...(withBody ? { body: request.body } : {}),
  });
  const text = await response.text();
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const where = `${request.method} ${request.path}${request.query} -> ${response.status}: ${text.slice(0, 300)}\n${serverErrors.slice(-2).join("\n")}`;
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400 && request.method !== "HEAD") {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof parsed.error?.code, where).toBe("string");
    expect(typeof parsed.error?.message, where).toBe("string");
  }
}

/** JSON POSTs with hostile bodies straight at the routes that run flows or start runs. */
function bodies(paths: string[]): fc.Arbitrary<Request_> {
  return fc.record({
    method: fc.constant("POST"),
    path: fc.constantFrom(...paths),
    query: fc.constant(""),
    contentType: fc.constant("application/json" as string | undefined),
    accept: fc.constantFrom<string | undefined>(undefined, "text/event-stream", "application/json"),
    body,
  });
}

describe("HTTP fuzz: no hostile request gets a 5xx, every error is JSON", () => {
  it("hostile JSON bodies at the routes that run flows and start runs", async () => {
    await fc.assert(
      fc.asyncProperty(bodies(["/score"]), (request) => expectWellFormed(serveApp, request)),
      { seed: SEED, numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(
        bodies([
          "/api/flows/typed",
          "/api/flows/echo",
          "/api/flows/stream",
          "/api/flows/typed/runs",
          "/api/endpoints/x",
        ]),
        (request) => expectWellFormed(functionsApp, request),
      ),
      { seed: SEED, numRuns: 300 },
    );
  }, 60_000);

  it("flow serve: POST /score, GET /health, GET /swagger.json", async () => {
    await fc.assert(
      fc.asyncProperty(requests(["/score", "/health", "/swagger.json"]), (request) =>
        expectWellFormed(serveApp, request),
      ),
      { seed: SEED, numRuns: 250 },
    );
  }, 60_000);

  it("the Functions app: flows, swagger, runs, run status and lines, endpoints, health", async () => {
    await fc.assert(
      fc.asyncProperty(
        requests([
          "/api/flows/typed",
          "/api/flows/echo",
          "/api/flows/stream",
          "/api/flows/typed/swagger.json",
          "/api/flows/typed/runs",
          "/api/flows/echo/runs",
          "/api/runs/fuzz-run",
          "/api/runs/fuzz-run/lines",
          "/api/endpoints/nothing-deployed",
          "/api/health",
          "/api/flows/nope",
        ]),
        (request) => expectWellFormed(functionsApp, request),
      ),
      { seed: SEED, numRuns: 250 },
    );
  }, 60_000);
});
