import type { FlowCatalog } from "../app/flow-catalog.js";
import { flowopsHome } from "../core/flowops-home.js";
import { type DeploymentStores, openDeploymentStores } from "../deploy/open-deployment-stores.js";
import { type OpenedRegistry, openRegistry } from "../registry/open-registry.js";
import type { RunStore } from "../stores/run-store.js";

export interface StudioOptions {
  /** The flows the studio shows and runs (the host's catalog, or one of its own). */
  flows: FlowCatalog;
  /** Where runs and their lines are read from. */
  runs: RunStore;
  /** FLOWOPS_HOME (traces, registry, deployments) and the store selection; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * The interface the server listens on. On a loopback address the studio only answers requests whose
   * Host header names a loopback host (DNS rebinding); beyond loopback it is read-only unless
   * `allowRuns` is set.
   */
  listenHost?: string;
  /**
   * Check the Host header itself (default true). False when mounted on the one HTTP app (src/http),
   * which checks it already, with the extra names FLOWOPS_ALLOWED_HOSTS allows.
   */
  checkHost?: boolean;
  /** Allow running flows and chatting when bound beyond loopback. */
  allowRuns?: boolean;
  /** The built UI (index.html, studio.js, studio.css); default the package's dist/studio. */
  assetsDir?: string;
}

/** What the studio's routes share: the catalog, the stores (registry and deployments opened on first use). */
export interface StudioContext {
  readonly flows: FlowCatalog;
  readonly runs: RunStore;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  registry(): Promise<OpenedRegistry>;
  deployments(): Promise<DeploymentStores>;
  close(): Promise<void>;
}

export function createStudioContext(options: StudioOptions): StudioContext {
  const env = options.env ?? process.env;
  let registry: Promise<OpenedRegistry> | undefined;
  let deployments: Promise<DeploymentStores> | undefined;
  return {
    flows: options.flows,
    runs: options.runs,
    env,
    home: flowopsHome(env),
    registry() {
      registry ??= openRegistry(env);
      return registry;
    },
    deployments() {
      deployments ??= openDeploymentStores(env);
      return deployments;
    },
    async close() {
      await (await registry)?.close();
      await (await deployments)?.close();
      registry = undefined;
      deployments = undefined;
    },
  };
}
