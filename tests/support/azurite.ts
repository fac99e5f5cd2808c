import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteInstance {
  /** A full connection string (account, key and the three endpoints on their free ports). */
  connectionString: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** The temporary `--location` folder (removed by stop()). */
  location: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;
const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/g;

/**
 * Starts the `azurite` npm package's blob, queue and table servers in one child process, on free
 * ports (port 0) of 127.0.0.1, with a temporary data folder. No global install, no Docker, no
 * telemetry. Call stop() in afterAll.
 */
export async function startAzurite(): Promise<AzuriteInstance> {
  const location = await mkdtemp(join(tmpdir(), "flowops-azurite-"));
  const entry = createRequire(import.meta.url).resolve("azurite/dist/src/azurite.js");
  const args = [entry, "--location", location, "--silent", "--skipApiVersionCheck", "--loose"];
  args.push("--disableTelemetry");
  for (const service of ["blob", "queue", "table"]) {
    args.push(`--${service}Host`, "127.0.0.1", `--${service}Port`, "0");
  }
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  // If the test process dies without afterAll, do not leave Azurite running.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  let endpoints: Record<string, string>;
  try {
    endpoints = await waitForEndpoints(child);
  } catch (error) {
    await stopChild(child);
    await rm(location, { recursive: true, force: true });
    throw error;
  }
  const blobEndpoint = `${endpoints["Blob"]}/${AZURITE_ACCOUNT}`;
  const queueEndpoint = `${endpoints["Queue"]}/${AZURITE_ACCOUNT}`;
  const tableEndpoint = `${endpoints["Table"]}/${AZURITE_ACCOUNT}`;
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    location,
    stop: async () => {
      await stopChild(child);
      await rm(location, { recursive: true, force: true });
    },
  };
}

function waitForEndpoints(child: ChildProcess): Promise<Record<string, string>> {
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
        resolve(found);
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
