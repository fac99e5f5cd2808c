import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";

export interface LocalAzurite {
  /** `UseDevelopmentStorage=true`: Azurite's well-known account on the default ports. */
  connectionString: string;
  /** False when an Azurite (or another emulator) was already listening and is reused. */
  started: boolean;
  stop(): Promise<void>;
}

export const AZURITE_PORTS = { blob: 10000, queue: 10001, table: 10002 } as const;
const STARTUP_TIMEOUT_MS = 20_000;
const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/g;

/** A running Azurite: the URL each service listens at (`Blob`, `Queue`, `Table`). */
export interface AzuriteProcess {
  endpoints: Record<"Blob" | "Queue" | "Table", string>;
  stop(): Promise<void>;
}

/**
 * Starts the `azurite` npm package's blob, queue and table servers in one child process on 127.0.0.1
 * (`ports`: fixed ports, or 0 for free ones), with its data in `location`. No global install, no Docker,
 * no telemetry; the child is killed if this process exits first. Used by `flowops start` and the tests.
 */
export async function spawnAzurite(
  location: string,
  ports: Record<keyof typeof AZURITE_PORTS, number> = AZURITE_PORTS,
): Promise<AzuriteProcess> {
  mkdirSync(location, { recursive: true });
  const entry = createRequire(import.meta.url).resolve("azurite/dist/src/azurite.js");
  const args = [
    entry,
    "--location",
    location,
    "--silent",
    "--skipApiVersionCheck",
    "--loose",
    "--disableTelemetry",
  ];
  for (const [service, port] of Object.entries(ports)) {
    args.push(`--${service}Host`, "127.0.0.1", `--${service}Port`, String(port));
  }
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  try {
    return { endpoints: await waitForEndpoints(child), stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/**
 * Starts Azurite on its default ports (what `UseDevelopmentStorage=true` points at) with its data in
 * `location` (kept across restarts), or reuses the emulator already listening there.
 */
export async function startLocalAzurite(location: string): Promise<LocalAzurite> {
  const connectionString = "UseDevelopmentStorage=true";
  if (await listening(AZURITE_PORTS.queue)) {
    return { connectionString, started: false, stop: async () => {} };
  }
  const azurite = await spawnAzurite(location);
  return { connectionString, started: true, stop: azurite.stop };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function waitForEndpoints(child: ChildProcess): Promise<AzuriteProcess["endpoints"]> {
  return new Promise((resolve, reject) => {
    const found: Record<string, string> = {};
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start in ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      for (const match of output.matchAll(LISTENING)) found[match[1] as string] = match[2] as string;
      if (found["Blob"] && found["Queue"] && found["Table"]) {
        clearTimeout(timer);
        child.stdout?.off("data", read);
        child.stdout?.resume();
        resolve(found as AzuriteProcess["endpoints"]);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", fail);
    child.once("exit", (code) =>
      fail(new Error(`Azurite exited with code ${code} before listening:\n${output}`)),
    );
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
