import { Readable } from "node:stream";
import { expect } from "vitest";
import type { CliIo } from "../../src/cli/cli-context.js";
import { main } from "../../src/cli/main.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `flowops <argv>` in-process with captured output, an isolated environment and optional stdin. */
export async function runCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string[] } & Pick<Partial<CliIo>, "signal" | "onReady"> = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin ?? []),
    env: options.env ?? {},
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onReady ? { onReady: options.onReady } : {}),
  });
  return { code, stdout, stderr };
}

/**
 * `cli(...argv)` runs flowops in the environment `env()` returns at call time (set in `beforeAll`);
 * `json(...argv)` also expects exit 0 (showing stderr otherwise) and parses stdout.
 */
export function cliInEnv(env: () => NodeJS.ProcessEnv) {
  const cli = (...argv: string[]) => runCli(argv, { env: env() });
  const json = async (...argv: string[]) => {
    const result = await cli(...argv);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };
  return { cli, json };
}
