import type { Span } from "@opentelemetry/api";
import type {
  CodeLoader,
  ConnectionLookup,
  NodeContext,
  PromptyCaller,
  PythonPort,
} from "../execution-types.js";
import type { FlowDefinition, NodeDefinition } from "../flow-definition.js";
import type { ModelPort, TokenUsage } from "../model-port.js";
import { unescapeText } from "../role-escape.js";

/** One call of a node: its resolved inputs and what the executor lends it. */
export interface NodeCall {
  inputs: Record<string, unknown>;
  context: NodeContext;
  /** Whether the node may hand back a stream (its output flows straight to a flow output, stream on). */
  stream: boolean;
  reportUsage(usage: TokenUsage): void;
  /** The node's span, when tracing records: spans the node reports (python `@trace`) are its children. */
  span?: Span;
  /**
   * Inputs that reference a node which was bypassed (their value is null). promptflow leaves such an
   * input out when the tool's parameter has a default, so the default applies (`get_node_valid_inputs`).
   */
  bypassedInputs?: string[];
  /** For inputs fed by a prompt node: that node's result with role markers still escaped. */
  promptResults?: Record<string, PromptResult>;
}

/** Runs a node; returns its output or a promise of it. */
export type NodeRunner = (call: NodeCall) => unknown;

/** What a runner factory gets when the executor is created. */
export interface RunnerSetup {
  node: NodeDefinition;
  flow: FlowDefinition;
  models: ModelPort;
  loadCode: CodeLoader;
  /** The python runtime (ExecutorOptions.python), when the application gave one. */
  python?: PythonPort;
  /** Full connections by name (ExecutorOptions.connections). */
  connections?: ConnectionLookup;
  /** Flex class-entry init arguments (ExecutorOptions.init). */
  init?: Record<string, unknown>;
  /** The run's environment variables (ExecutorOptions.environmentVariables). */
  environmentVariables?: Readonly<Record<string, string>>;
  /** Runs `.prompty` files that python code loads with promptflow.core's `Prompty`. */
  runPrompty?: PromptyCaller;
  /** Folders image file paths may be read from (ExecutorOptions.imageRoots; none by default). */
  imageRoots?: readonly string[];
}

/**
 * A prompt node's output (`text`) together with the same text where the role markers and message keys
 * of its printed values are still escaped, so an llm node consuming it keeps the injection guard.
 */
export class PromptResult {
  constructor(
    readonly text: string,
    readonly escaped: string,
  ) {}

  static of(escaped: string): PromptResult {
    return new PromptResult(unescapeText(escaped), escaped);
  }
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" && Symbol.asyncIterator in value;
}

/** Joins a streamed output into one string (stream off, or the output feeds other nodes). */
export async function collectStream(stream: AsyncIterable<unknown>): Promise<string> {
  let text = "";
  for await (const chunk of stream)
    text += typeof chunk === "string" ? chunk : chunk == null ? "" : String(chunk);
  return text;
}
