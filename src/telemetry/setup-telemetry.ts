import { createRequire } from "node:module";
import { context, trace } from "@opentelemetry/api";
import type { ReadableSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { LocalSpanExporter, tracesDirectory } from "./local-span-store.js";
import { redactSecrets, redactValue } from "./redact.js";
import { currentTelemetry, setCurrentTelemetry } from "./telemetry-state.js";

export interface TelemetryOptions {
  /** FLOWOPS_HOME: spans are kept under `<home>/traces`. */
  home: string;
  /** Reads OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and FLOWOPS_TRACING. */
  env?: NodeJS.ProcessEnv;
  serviceName?: string;
  /** Keep spans in the local store (default true; FLOWOPS_TRACING=off turns it off). */
  local?: boolean;
  /**
   * Track the active span across awaits (AsyncLocalStorage), so that spans user code starts nest under
   * the node that runs it. Default true (FLOWOPS_TRACE_CONTEXT=off turns it off). On Node 20 it costs
   * every promise in the process, about 0.5 ms per served request: `flow serve` turns it off, as the
   * engine parents flow and node spans explicitly.
   */
  propagateContext?: boolean;
}

export interface Telemetry {
  /** Where local spans are written, or undefined when the local store is off. */
  readonly tracesDirectory: string | undefined;
  /** Whether spans are also exported over OTLP. */
  readonly otlp: boolean;
  /** Exports every pending span now. */
  flush(): Promise<void>;
  /** Flushes and unregisters the global tracer provider. */
  shutdown(): Promise<void>;
}

/**
 * Registers the process-wide OpenTelemetry tracer provider that the engine's spans go to: a local span
 * store (JSONL under FLOWOPS_HOME/traces) and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, an OTLP/HTTP
 * exporter. Span attributes are redacted before they leave the process or reach the disk. Idempotent: a
 * second call returns the first setup; an application that registered its own provider keeps it.
 */
export function setupTelemetry(options: TelemetryOptions): Telemetry {
  const existing = currentTelemetry();
  if (existing) return existing;
  const env = options.env ?? process.env;
  const local = options.local ?? !/^(0|off|false|no)$/i.test(env.FLOWOPS_TRACING ?? "");
  const otlpUrl =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
    (env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`
      : "");
  const otlp = otlpUrl !== "";

  const { BasicTracerProvider, BatchSpanProcessor, resourceFromAttributes, AsyncLocalStorageContextManager } =
    sdk ?? requireSdk();
  const spanProcessors: SpanProcessor[] = [];
  if (local) spanProcessors.push(new BatchSpanProcessor(new LocalSpanExporter(options.home)));
  if (otlp) spanProcessors.push(new BatchSpanProcessor(new RedactingExporter(createOtlpExporter(otlpUrl))));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": options.serviceName ?? env.OTEL_SERVICE_NAME ?? "flowops",
    }),
    spanProcessors,
  });
  const registered = trace.setGlobalTracerProvider(provider);
  const propagate = options.propagateContext ?? !/^(0|off|false|no)$/i.test(env.FLOWOPS_TRACE_CONTEXT ?? "");
  if (registered && propagate)
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

  const telemetry: Telemetry = {
    tracesDirectory: local && registered ? tracesDirectory(options.home) : undefined,
    otlp: otlp && registered,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      if (registered) {
        trace.disable();
        context.disable();
      }
      if (currentTelemetry() === telemetry) setCurrentTelemetry(undefined);
    },
  };
  setCurrentTelemetry(telemetry);
  return telemetry;
}

/** The parts of the OpenTelemetry SDK setupTelemetry uses: loaded when tracing is set up, not at import. */
type Sdk = Pick<
  typeof import("@opentelemetry/sdk-trace-base"),
  "BasicTracerProvider" | "BatchSpanProcessor"
> &
  Pick<typeof import("@opentelemetry/resources"), "resourceFromAttributes"> &
  Pick<typeof import("@opentelemetry/context-async-hooks"), "AsyncLocalStorageContextManager">;

let sdk: Sdk | undefined;

/**
 * Loads the SDK ahead of setupTelemetry, as ES modules (bundled into the CLI and the Functions app).
 * Callers that can await do so; setupTelemetry alone falls back to require().
 */
export async function loadTelemetrySdk(): Promise<void> {
  if (sdk) return;
  const [base, resources, hooks] = await Promise.all([
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/context-async-hooks"),
  ]);
  sdk = {
    BasicTracerProvider: namedExports(base).BasicTracerProvider,
    BatchSpanProcessor: namedExports(base).BatchSpanProcessor,
    resourceFromAttributes: namedExports(resources).resourceFromAttributes,
    AsyncLocalStorageContextManager: namedExports(hooks).AsyncLocalStorageContextManager,
  };
}

/** A CommonJS package imported from a bundle may come as `{ default: exports }`. */
function namedExports<M extends object>(module: M): M {
  const fallback = (module as { default?: M }).default;
  return Object.keys(module).length <= 1 && fallback ? fallback : module;
}

function requireSdk(): Sdk {
  const require = createRequire(import.meta.url);
  return {
    ...(require("@opentelemetry/sdk-trace-base") as typeof import("@opentelemetry/sdk-trace-base")),
    ...(require("@opentelemetry/resources") as typeof import("@opentelemetry/resources")),
    ...(require("@opentelemetry/context-async-hooks") as typeof import("@opentelemetry/context-async-hooks")),
  };
}

/** The OTLP/HTTP exporter, loaded only when an OTLP endpoint is configured (it is large). */
function createOtlpExporter(url: string): SpanExporter {
  const require = createRequire(import.meta.url);
  const { OTLPTraceExporter } =
    require("@opentelemetry/exporter-trace-otlp-http") as typeof import("@opentelemetry/exporter-trace-otlp-http");
  return new OTLPTraceExporter({ url });
}

/** Wraps an exporter so that span status messages, attributes and events are redacted first. */
class RedactingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: Parameters<SpanExporter["export"]>[1]): void {
    this.inner.export(spans.map(redactSpan), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function redactSpan(span: ReadableSpan): ReadableSpan {
  const copy = Object.create(span) as ReadableSpan & {
    attributes: unknown;
    events: unknown;
    status: unknown;
  };
  Object.defineProperty(copy, "status", {
    value: span.status.message
      ? { ...span.status, message: redactSecrets(span.status.message) }
      : span.status,
  });
  Object.defineProperty(copy, "attributes", { value: redactValue({ ...span.attributes }) });
  Object.defineProperty(copy, "events", {
    value: span.events.map((event) =>
      event.attributes
        ? { ...event, name: redactSecrets(event.name), attributes: redactValue({ ...event.attributes }) }
        : { ...event, name: redactSecrets(event.name) },
    ),
  });
  return copy;
}
