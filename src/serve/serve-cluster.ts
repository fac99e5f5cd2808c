import cluster, { type Worker } from "node:cluster";
import type { AddressInfo } from "node:net";

export interface ServeClusterOptions {
  /** How many worker processes serve the flow (each loads it once). */
  workers: number;
  /** The script each worker runs (the `flowops` bin) and its arguments (the same `flow serve`). */
  exec: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The host the workers listen on, for the URL. */
  host: string;
  /** How long stopping waits for in-flight requests before killing workers. */
  graceMs?: number;
}

export interface ServeCluster {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs `flow serve` in several worker processes sharing one port (node:cluster): the primary only
 * hands connections out, so throughput scales with cores while every worker keeps its own loaded
 * flow and connection pools. Resolves once every worker listens.
 */
export async function startServeCluster(options: ServeClusterOptions): Promise<ServeCluster> {
  cluster.setupPrimary({ exec: options.exec, args: options.args, silent: false });
  const workers: Worker[] = [];
  const listening = new Promise<number>((resolve, reject) => {
    let ready = 0;
    let port = 0;
    const onListening = (_worker: Worker, address: AddressInfo | { port: number }) => {
      port = address.port;
      if (++ready === options.workers) {
        cluster.off("listening", onListening);
        resolve(port);
      }
    };
    cluster.on("listening", onListening);
    for (let i = 0; i < options.workers; i++) {
      const worker = cluster.fork({ ...options.env, FLOWOPS_SERVE_WORKER: String(i + 1) });
      worker.once("exit", (code) => {
        if (ready < options.workers)
          reject(new Error(`serve worker ${i + 1} exited with code ${code} before listening`));
      });
      workers.push(worker);
    }
  });
  const port = await listening;
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    async stop() {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const timer = setTimeout(() => worker.kill("SIGKILL"), options.graceMs ?? 5_000);
              worker.once("exit", () => {
                clearTimeout(timer);
                resolve();
              });
              worker.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}
