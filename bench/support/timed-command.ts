/**
 * Runs a whole command as a user does (`node ...argv`, e.g. `bin/flowops.js run create ...`) to its exit:
 * wall time from spawn to exit and, through GNU `/usr/bin/time` where it exists (`apt-get install -y
 * time`), its peak RSS and CPU. Asynchronous, so that a model server in the calling process answers.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export const TIME = "/usr/bin/time";

export interface TimedCommand {
  status: number | null;
  stdout: string;
  /** The command's own stderr (without /usr/bin/time's line). */
  stderr: string;
  wallMs: number;
  /** Peak RSS in KB, user and system CPU in seconds: when /usr/bin/time exists. */
  maxRssKb?: number;
  userS?: number;
  systemS?: number;
}

export async function timeCommand(
  argv: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
): Promise<TimedCommand> {
  const timed = existsSync(TIME);
  const flags = process.env["FLOWOPS_BENCH_CHILD_FLAGS"]?.split(" ").filter(Boolean) ?? []; // e.g. --cpu-prof
  const node = [...flags, ...argv];
  const [command, args] = timed
    ? [TIME, ["-f", "flowops-bench-time %M %U %S", process.execPath, ...node]]
    : [process.execPath, node];
  const started = performance.now();
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wallMs = performance.now() - started;
  const measured = /flowops-bench-time (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  if (!measured) return { status, stdout, stderr, wallMs };
  return {
    status,
    stdout,
    stderr: stderr.slice(0, measured.index),
    wallMs,
    maxRssKb: Number(measured[1]),
    userS: Number(measured[2]),
    systemS: Number(measured[3]),
  };
}
