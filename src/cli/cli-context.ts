/** Where a command writes: `process.stdout`/`process.stderr`, or buffers in tests. */
export interface Output {
  write(text: string): unknown;
}

/** What `main` runs against: injectable so that tests capture output and feed stdin. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Stops long-running commands (`flow serve`); SIGINT/SIGTERM do it for the real process. */
  signal?: AbortSignal;
  /** Called once a long-running command is ready (`flow serve`: with the URL it listens on). */
  onReady?: (info: { url: string }) => void;
}

/** Shared by every command of one `main` call. */
export interface CliContext {
  readonly io: CliIo;
  /** `--verbose` was given. */
  readonly verbose: boolean;
  /** The exit code a command wants when it ends without throwing (e.g. 2 for diagnostics). */
  exitCode: number;
  /** A log line on stderr (stdout is kept for results). */
  log(message: string): void;
  /** A log line on stderr shown only under `--verbose`. */
  debug(message: string): void;
}
