/**
 * The layering check (`npm run check:layers`, part of `npm test`). docs/architecture.md explains the
 * parts and the arrows; this file is their executable form. A part may import only the parts listed
 * for it in `arrows` (and itself); the arrows form no cycle, so folders cannot import each other in a
 * ring. Tests beside a module may import any part (they assemble real parts around the one they test).
 */

/** Each part of the code base, as a path pattern relative to the repository root. */
const parts = {
  core: "^src/core/",
  secrets: "^src/secrets/",
  connections: "^src/connections/",
  providers: "^src/providers/",
  stores: "^src/stores/",
  telemetry: "^src/telemetry/",
  runtimes: "^src/runtimes/",
  library: "^src/(load-flow|flow-function)\\.ts$",
  runs: "^src/runs/",
  registry: "^src/registry/",
  deploy: "^src/deploy/",
  migrate: "^src/migrate/",
  app: "^src/app/",
  http: "^src/http/",
  serve: "^src/serve/",
  studio: "^src/studio/",
  host: "^src/host/",
  functions: "^functions/",
  cli: "^src/cli/",
  facade: "^src/index\\.ts$",
};

const engine = ["core", "secrets", "connections", "providers", "stores", "telemetry", "runtimes", "library"];
const services = [...engine, "runs", "registry", "deploy", "migrate"];

/** The allowed arrows: part → the parts it may import. Adapters (functions, host, cli, http, studio, serve) sit on top. */
const arrows = {
  core: [],
  // The secret registry and scrubber: a leaf every writer (telemetry, stores, CLI, host, HTTP) may use.
  secrets: ["core"],
  connections: ["core", "secrets"],
  providers: ["core", "secrets", "connections"],
  stores: ["core", "secrets", "connections"],
  telemetry: ["core", "secrets"],
  runtimes: ["core", "secrets", "connections"],
  library: ["core", "secrets", "connections", "providers", "stores", "telemetry", "runtimes"],
  runs: engine,
  registry: [...engine, "runs"],
  deploy: [...engine, "runs", "registry"],
  migrate: [...engine, "runs", "deploy"],
  app: services,
  // The one HTTP app takes sub-apps (the studio) as mounts, so the studio may use its helpers.
  http: [...services, "app"],
  studio: [...services, "app", "http"],
  serve: [...services, "app", "http"],
  host: [...services, "app", "http", "studio", "serve"],
  functions: [...services, "app", "http", "host"],
  cli: [...services, "app", "http", "studio", "serve", "host"],
  facade: [...services, "app", "http", "serve"],
};

/** Known exceptions, each to be removed by the change that names it (none today). */
const exceptions = [];

const test = "(\\.test\\.ts$|^tests/|^bench/)";
const vendorPackages =
  "^node_modules/(@azure|@aws-sdk|@smithy|openai|@anthropic-ai|@mistralai|@opentelemetry/(sdk-|exporter-|resources|context-)|durable-functions|better-sqlite3|hono|@hono|undici|@langchain)";

module.exports = {
  allowed: [
    // Packages and node: built-ins (the forbidden rules below restrict which).
    { from: {}, to: { pathNot: "^(src|functions)/" } },
    // Tests may import any part.
    { from: { path: test }, to: {} },
    ...Object.entries(arrows).map(([part, targets]) => ({
      from: { path: parts[part] },
      to: { path: [parts[part], ...targets.map((target) => parts[target])] },
    })),
    ...exceptions.map(({ from, to }) => ({ from: { path: from }, to: { path: to } })),
  ],
  allowedSeverity: "error",
  forbidden: [
    {
      name: "core-is-pure",
      comment: "src/core imports no vendor SDK, Azure library, database driver or HTTP framework.",
      severity: "error",
      from: { path: parts.core, pathNot: test },
      to: { path: vendorPackages },
    },
    {
      name: "functions-runtime-in-adapters",
      comment:
        "@azure/functions and durable-functions are imported (beyond types) only by functions/ and src/host/.",
      severity: "error",
      from: { pathNot: `^(functions|src/host)/|${test}` },
      to: { path: "^node_modules/(@azure/functions|durable-functions)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-circular",
      comment: "No import cycles between modules (the arrows above already exclude cycles between parts).",
      severity: "error",
      from: { pathNot: test },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
