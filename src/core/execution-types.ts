import type { Span } from "@opentelemetry/api";
import type { FlowDefinition } from "./flow-definition.js";
import type { ModelPort, TokenUsage } from "./model-port.js";

/** The second argument every TypeScript node receives. */
export interface NodeContext {
  /** The node's name. */
  node: string;
  /** Absolute path of the flow folder. */
  flowDirectory: string;
  /** promptflow's `log_metric`: records a metric (aggregation nodes). */
  logMetric(name: string, value: number, variantId?: string): void;
  /** Aborted on line timeout, cancel or client disconnect. */
  signal: AbortSignal;
  /** The model port, for code nodes that call models themselves. */
  models: ModelPort;
}

/** Loads the default export of a TypeScript/JavaScript code node. */
export type CodeLoader = (absolutePath: string) => Promise<(...args: unknown[]) => unknown>;

export type NodeRunStatus = "Completed" | "Failed" | "Bypassed" | "Canceled";

export interface SerializedError {
  code: string;
  message: string;
  node?: string;
  /** The error type a node threw (e.g. `TypeError`), when it was not a FlowopsError. */
  type?: string;
}

export interface NodeRunRecord {
  node: string;
  status: NodeRunStatus;
  output?: unknown;
  error?: SerializedError;
  /** ISO timestamps. */
  start_time: string;
  end_time: string;
  usage?: TokenUsage;
}

export interface LineResult {
  /** The flow's outputs. With `stream: true`, values may be AsyncIterable<string>. */
  outputs: Record<string, unknown>;
  /** One record per node that was reached (completed, failed or bypassed), by node name. */
  nodes: Record<string, NodeRunRecord>;
  usage: TokenUsage;
}

export interface AggregationResult {
  metrics: Record<string, number>;
  nodes: Record<string, NodeRunRecord>;
  usage: TokenUsage;
}

export interface ExecuteOptions {
  /** `${node.variant_id}`: run the flow with this variant of that node. */
  variant?: string;
  signal?: AbortSignal;
  /** Stream llm outputs that flow straight to an output (for SSE). */
  stream?: boolean;
  /** A line number for traces/records (batch runs). */
  lineNumber?: number;
  /** Trace/run id that spans attach to. */
  runId?: string;
  /** The span this run's flow span is a child of (a prompty called from a python node). */
  parentSpan?: Span;
  /** This call's line timeout in ms, instead of ExecutorOptions.lineTimeoutMs (0: no limit). */
  timeoutMs?: number;
}

export interface ExecutorOptions {
  models: ModelPort;
  /** Defaults to the engine's TypeScript loader (tsx). */
  loadCode?: CodeLoader;
  /**
   * Runs `type: python` nodes and python flex entries. The application passes a pool of python
   * workers (`createPythonRunner` from src/runtimes/python); without it, python nodes fail with a
   * NotSupportedError naming the node. Core never spawns processes itself.
   */
  python?: PythonPort;
  /**
   * Full connections by name (secrets resolved), for python tools whose parameters are typed as
   * connections and for package tools that take a `connection` input (serpapi, embedding).
   */
  connections?: ConnectionLookup;
  /** A flex flow's class-entry `__init__`/constructor arguments (promptflow's `--init`). */
  init?: Record<string, unknown>;
  /**
   * The run's `--environment-variables`: they win over the flow's `environment_variables` for the names
   * both give (see flow-environment.ts). The caller also puts them in the python workers' environment.
   */
  environmentVariables?: Readonly<Record<string, string>>;
  /**
   * Folders (absolute paths) that image inputs given as file paths may be read from; a path must stay
   * inside one of them after `..` and symlinks are resolved. Default: none, so image inputs are only
   * base64 data URLs or public http(s) URLs (what HTTP servers must use). The CLI's local runs pass the
   * flow folder and the data file's folder. See image-input.ts.
   */
  imageRoots?: readonly string[];
  /**
   * A line that runs longer fails with LineTimeoutError and its model and python calls are aborted.
   * Default 600 000 ms (promptflow's line timeout); 0 turns it off. Aggregation has no default limit.
   */
  lineTimeoutMs?: number;
  /** A node that runs longer fails with NodeTimeoutError (the line's calls are aborted). Default: none. */
  nodeTimeoutMs?: number;
}

/** A connection as python tools receive it: `{type, name, ...fields, configs?, secrets?}`. */
export type ConnectionObject = Record<string, unknown> & { type: string; name: string };

/** Finds a connection by name; undefined when there is none. */
export interface ConnectionLookup {
  get(name: string): Promise<ConnectionObject | undefined>;
}

/** One python tool call (a node, or a flex entry). */
export interface PythonToolCall {
  node: string;
  /** Absolute path of the .py file. */
  file: string;
  /** The function (or class, for flex class entries) to call; default: the file's one `@tool`. */
  function?: string;
  inputs: Record<string, unknown>;
  /** Connection objects for the parameters typed as connections, by parameter name. */
  connections?: Record<string, ConnectionObject>;
  /** Keyword arguments for a class entry's `__init__`. */
  init?: Record<string, unknown>;
  /** Folders python imports from (the flow folder, then what additional_includes bring in). */
  paths?: string[];
  /** promptflow's OperationContext values for the call (`flow-id`, `root-run-id`). */
  context?: Record<string, string>;
  /** The flow's `environment_variables`, resolved: set in the worker's os.environ before the call. */
  env?: Record<string, string>;
  /**
   * The flow's `message_format: openai-vision`: images cross as OpenAI content parts
   * (`{"type": "image_url", "image_url": {"url": ...}}`, `{"type": "image_file", ...}`) instead of
   * promptflow's `{"data:image/png;base64": ...}`.
   */
  messageFormat?: "openai-vision";
}

export interface PythonToolSpan {
  name: string;
  /** Epoch seconds. */
  start: number;
  end: number;
  inputs: unknown;
  output: unknown;
  error?: string;
}

export interface PythonCallHandlers {
  /** A chunk of a generator's output; `field` names the record field it belongs to (see onRecord). */
  /** `text` is python's str() of a non-string chunk (what promptflow joins when the run does not stream). */
  onChunk?(value: unknown, field?: string, text?: string): void;
  /**
   * The tool returned a record (dataclass or dict) some of whose fields are generators: `value` holds
   * the other fields, `streams` names the generator fields, whose chunks follow with their `field`.
   */
  onRecord?(value: Record<string, unknown>, streams: string[]): void;
  onMetric?(name: string, value: number, variant?: string): void;
  /**
   * The tool called `Prompty(...)` (promptflow.core): run that prompty with flowops' model port and
   * hand back its output, or an AsyncIterable of chunks when the prompty streams.
   */
  onPrompty?(request: PromptyCallRequest): Promise<unknown>;
  onSpan?(span: PythonToolSpan): void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** A prompty run on behalf of python code (`Prompty.load(source, model=...)(**inputs)`). */
export interface PromptyCallRequest {
  /** Absolute path of the .prompty file. */
  file: string;
  inputs: Record<string, unknown>;
  /** promptflow's `model` override: `{configuration?, parameters?, api?, response?}`. */
  model?: Record<string, unknown>;
  /** `Prompty.render()` / `estimate_token_count()`: answer the rendered prompt, call no model. */
  render?: boolean;
  signal?: AbortSignal;
  /** The calling node's span: the prompty's flow span joins that trace. */
  parentSpan?: Span;
}

/** Runs a prompty file for python code; returns its output (or a stream of chunks). */
export type PromptyCaller = (request: PromptyCallRequest) => Promise<unknown>;

export interface PythonParameter {
  name: string;
  required: boolean;
  default?: unknown;
  annotation?: string;
  /** The parameter is typed as a promptflow connection: its input names a connection. */
  connection?: boolean;
}

/** A python tool's signature (for a class entry, `params` of `__call__` and `init` of `__init__`). */
export interface PythonSignature {
  name: string;
  params: PythonParameter[];
  init?: PythonParameter[];
}

/** What the engine needs from a python runtime (PythonWorkerPool has this shape). */
export interface PythonPort {
  call(call: PythonToolCall, handlers?: PythonCallHandlers): Promise<unknown>;
  /** Describes a tool; `paths` are folders its module may import from (see PythonToolCall.paths). */
  inspect?(file: string, fn?: string, paths?: string[]): Promise<PythonSignature>;
  /** The flow's `environment.python_requirements_txt` (absolute): its workers run with those installed. */
  useRequirements?(file: string): void;
}

/** A flow ready to run: code nodes loaded, templates compiled. */
export interface FlowExecutor {
  readonly definition: FlowDefinition;
  /** Runs one line through every non-aggregation node. Throws NodeExecutionError if a node fails. */
  run(inputs: Record<string, unknown>, options?: ExecuteOptions): Promise<LineResult>;
  /** Runs a single node with the given inputs for its references (promptflow `--node`). */
  runNode(node: string, inputs: Record<string, unknown>, options?: ExecuteOptions): Promise<NodeRunRecord>;
  /**
   * Runs the aggregation nodes once, over lists: for each aggregation-node input, the list of its
   * value over all lines (`lines[i]` are a line's flow inputs and `results[i]` its result).
   */
  runAggregation(
    lines: { inputs: Record<string, unknown>; result: LineResult | undefined }[],
    options?: ExecuteOptions,
  ): Promise<AggregationResult>;
  /** Whether the flow has aggregation nodes. */
  readonly hasAggregation: boolean;
}
