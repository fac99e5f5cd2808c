import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type {
  PythonCallHandlers,
  PythonParameter,
  PythonSignature,
  PythonToolSpan,
} from "../../core/execution-types.js";
import { packageInfo } from "../../core/package-info.js";
import { scrubSecrets } from "../../secrets/index.js";
import { encodeFrame, FrameDecoder } from "./frame-codec.js";
import {
  type PythonErrorDetail,
  PythonTimeoutError,
  PythonToolError,
  PythonWorkerError,
} from "./python-errors.js";
import { workerEnvironment } from "./worker-environment.js";

/**
 * The python side lives in src/runtimes/python/worker/ (the build compiles only TypeScript into dist/,
 * and a bundle sits elsewhere in dist/): found from the package's folder.
 */
const WORKER_SCRIPT = path.join(
  packageInfo().root,
  "src",
  "runtimes",
  "python",
  "worker",
  "flowops_worker.py",
);

export interface PythonCall {
  node: string;
  file: string;
  function?: string;
  inputs: Record<string, unknown>;
  /** Connection parameters by name: `{type, name, configs?, secrets?, ...fields}`. */
  connections?: Record<string, Record<string, unknown>>;
  /** When `function` names a class (flex class entry): its `__init__` keyword arguments. */
  init?: Record<string, unknown>;
  /** The flow's environment variables, set in the worker's os.environ before the call. */
  env?: Record<string, string>;
}

// The worker implements the engine's python port: its types are the port's (src/core/execution-types.ts).
export type { PythonCallHandlers };
export type PythonSpan = PythonToolSpan;
export type PythonParameterDescription = PythonParameter;
export type PythonToolDescription = PythonSignature;

interface Pending {
  node: string;
  child: ChildProcess;
  handlers: PythonCallHandlers;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type WorkerMessage = {
  id?: number;
  type: string;
  value?: unknown;
  name?: string;
  variant?: string;
  field?: string;
  /** A chunk's python str(), for non-string chunks. */
  text?: string;
  streams?: string[];
  call?: number;
  file?: string;
  inputs?: unknown;
  model?: unknown;
  render?: boolean;
  error?: PythonErrorDetail;
} & Partial<PythonSpan>;

/**
 * One long-lived `python3` process running promptflow tools, one call at a time. Started lazily,
 * restarted on the next call if it died, killed when a call times out or is aborted.
 */
export class PythonWorker {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail = "";

  constructor(
    private readonly options: {
      python?: string;
      cwd?: string;
      env?: NodeJS.ProcessEnv;
      /** Receives what the tools print (stdout and stderr), secrets scrubbed. */
      output?: (text: string) => void;
    } = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async call(call: PythonCall, handlers: PythonCallHandlers = {}): Promise<unknown> {
    return this.send({ op: "call", ...call }, call.node, handlers);
  }

  async inspect(file: string, fn?: string, paths?: string[]): Promise<PythonToolDescription> {
    return (await this.send({ op: "inspect", file, function: fn, paths }, file, {})) as PythonToolDescription;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin?.write(encodeFrame({ op: "shutdown" }));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
  }

  private async send(
    message: Record<string, unknown>,
    node: string,
    handlers: PythonCallHandlers,
  ): Promise<unknown> {
    await this.start();
    const id = this.nextId++;
    const child = this.child!;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        handlers.signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        this.pending.delete(id);
        cleanup();
        this.kill(child);
        reject(
          handlers.signal?.reason ?? new PythonWorkerError(`python node '${node}' was canceled`, { node }),
        );
      };
      this.pending.set(id, {
        node,
        child,
        handlers,
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      if (handlers.signal?.aborted) return onAbort();
      handlers.signal?.addEventListener("abort", onAbort, { once: true });
      if (handlers.timeoutMs) {
        timer = setTimeout(() => {
          this.pending.delete(id);
          cleanup();
          this.kill(child);
          reject(new PythonTimeoutError(node, handlers.timeoutMs!));
        }, handlers.timeoutMs);
      }
      child.stdin!.write(encodeFrame({ id, ...message }));
    });
  }

  /** Kills a process (timeout, abort, bad frame); the next call starts a fresh one. */
  private kill(child: ChildProcess): void {
    if (this.child === child) {
      this.child = undefined;
      this.ready = undefined;
    }
    child.kill("SIGKILL");
  }

  private start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null && this.ready)
      return this.ready;
    const python = this.options.python ?? process.env.FLOWOPS_PYTHON ?? "python3";
    const child = spawn(python, ["-u", WORKER_SCRIPT], {
      cwd: this.options.cwd,
      // Without the host's secrets: connections reach a tool through the protocol only.
      env: workerEnvironment({ ...process.env, ...this.options.env }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    this.stderrTail = "";
    const decoder = new FrameDecoder();
    let failStart: (error: Error) => void = () => {};
    this.ready = new Promise((resolve, reject) => {
      failStart = reject;
      child.once("error", (error) =>
        reject(
          new PythonWorkerError(
            `could not start '${python}': ${error.message}. Install Python 3 or set FLOWOPS_PYTHON.`,
            { cause: error },
          ),
        ),
      );
      child.stdout!.on("data", (chunk: Buffer) => {
        let messages: unknown[];
        try {
          messages = decoder.push(chunk);
        } catch (error) {
          this.failAll(
            child,
            new PythonWorkerError(`the python worker sent a malformed frame: ${(error as Error).message}`),
          );
          this.kill(child);
          return;
        }
        for (const message of messages as WorkerMessage[]) {
          if (message.type === "ready") resolve();
          else this.dispatch(message);
        }
      });
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-4000);
      if (this.options.output) this.options.output(scrubSecrets(chunk.toString("utf8")));
      else if (process.env.FLOWOPS_PYTHON_LOG) process.stderr.write(scrubSecrets(chunk.toString("utf8")));
    });
    child.once("exit", (code, signal) => {
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const tail = this.stderrTail.trim().split("\n").slice(-5).join("\n");
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
      const stopped = new PythonWorkerError(`the python worker stopped (${how})${tail ? `:\n${tail}` : ""}`);
      // Before "ready" (a missing worker script, a broken interpreter): the start itself fails.
      failStart(stopped);
      this.failAll(child, stopped);
    });
    return this.ready;
  }

  private dispatch(message: WorkerMessage): void {
    const pending = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case "chunk":
        pending.handlers.onChunk?.(message.value, message.field ?? undefined, message.text ?? undefined);
        return;
      case "prompty":
        void this.answerPrompty(pending, message);
        return;
      case "record":
        pending.handlers.onRecord?.((message.value ?? {}) as Record<string, unknown>, message.streams ?? []);
        return;
      case "metric":
        pending.handlers.onMetric?.(message.name!, message.value as number, message.variant ?? undefined);
        return;
      case "span":
        pending.handlers.onSpan?.(message as PythonSpan);
        return;
      case "result":
        this.pending.delete(message.id!);
        pending.resolve(message.value);
        return;
      case "error":
        this.pending.delete(message.id!);
        pending.reject(new PythonToolError(pending.node, message.error!));
        return;
    }
  }

  /**
   * Python code called a Prompty: run it through the engine (handlers.onPrompty) and answer on the
   * worker's stdin, `prompty_result`, or `prompty_stream` then one `prompty_chunk` per chunk then
   * `prompty_end` (chunks are written as they come), or `prompty_error`.
   */
  private async answerPrompty(pending: Pending, message: WorkerMessage): Promise<void> {
    const call = message.call;
    const write = (frame: Record<string, unknown>) => {
      if (pending.child.stdin?.writable) pending.child.stdin.write(encodeFrame({ call, ...frame }));
    };
    try {
      if (!pending.handlers.onPrompty)
        throw new Error("this runtime cannot run prompty files from python code");
      const value = await pending.handlers.onPrompty({
        file: String(message.file ?? ""),
        inputs: (message.inputs ?? {}) as Record<string, unknown>,
        ...(message.model ? { model: message.model as Record<string, unknown> } : {}),
        ...(message.render === true ? { render: true } : {}),
      });
      if (value !== null && typeof value === "object" && Symbol.asyncIterator in value) {
        write({ op: "prompty_stream" });
        for await (const chunk of value as AsyncIterable<unknown>)
          write({ op: "prompty_chunk", value: chunk });
        write({ op: "prompty_end" });
        return;
      }
      write({ op: "prompty_result", value });
    } catch (error) {
      const detail = error as { code?: string; message?: string };
      write({
        op: "prompty_error",
        error: {
          type: detail.code ?? (error as Error).name ?? "Error",
          message: detail.message ?? String(error),
        },
      });
    }
  }

  private failAll(child: ChildProcess, error: Error): void {
    for (const [id, pending] of this.pending) {
      if (pending.child !== child) continue;
      this.pending.delete(id);
      pending.reject(
        new PythonWorkerError(`${error.message} while running python node '${pending.node}'`, {
          node: pending.node,
        }),
      );
    }
  }
}
