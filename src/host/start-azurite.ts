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

/**
 * Starts the `azurite` package from node_modules on its default ports (what
 * `UseDevelopmentStorage=true` points at) with its data in `location` (kept across restarts), or
 * reuses the emulator already listening there.
 */
export async function startLocalAzurite(location: string): Promise<LocalAzurite> {
  const connectionString = "UseDevelopmentStorage=true";
  if (await listening(AZURITE_PORTS.queue)) {
    return { connectionString, started: false, stop: async () => {} };
  }
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
  for (const [service, port] of Object.entries(AZURITE_PORTS)) {
    args.push(`--${service}Host`, "127.0.0.1", `--${service}Port`, String(port));
  }
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  await waitUntilListening(child);
  return { connectionString, started: true, stop: () => stopChild(child) };
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

function waitUntilListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
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
      const services = output.match(/Azurite (Blob|Queue|Table) service is successfully listening/g) ?? [];
      if (services.length >= 3) {
        clearTimeout(timer);
        child.stdout?.off("data", read);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`Azurite exited with code ${code}:\n${output}`)));
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
