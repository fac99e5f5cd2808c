import { type Connection, connectionSchema } from "../connections/connection-schema.js";
import { ConnectionNotFoundError, type ConnectionStore } from "../connections/connection-store.js";
import { UserError } from "../core/errors.js";
import type {
  ChatRequest,
  CompletionRequest,
  ModelCallOptions,
  ModelPort,
  ModelRequest,
  ModelResponse,
  ModelStreamChunk,
} from "../core/model-port.js";
import { type CreateProviderOptions, createProvider } from "./create-provider.js";
import { createMockModelPort } from "./mock-model.js";
import type { ModelProvider } from "./model-provider.js";
import { collectStream, createRecordingStore, type RecordingStore, replayStream } from "./record-replay.js";

/**
 * `live` calls the models; `record` calls them and saves each exchange; `replay` answers from the
 * recordings only; `mock` answers every call with a labelled placeholder (mock-model.ts), no model.
 */
export type ModelMode = "live" | "record" | "replay" | "mock";
const modes: readonly ModelMode[] = ["live", "record", "replay", "mock"];

/** The modes that call no model, so need no connection. */
export function isOfflineMode(mode: string | undefined): boolean {
  return mode === "replay" || mode === "mock";
}

export interface CreateModelPortOptions extends CreateProviderOptions {
  connections: ConnectionStore;
  /** Default: `FLOWOPS_LLM_MODE`, else "live". */
  mode?: ModelMode;
  /**
   * Where recordings are read (replay) and written (record). The caller passes it; the CLI and
   * `loadFlow` use `<flow dir>/.recordings`. Default: `FLOWOPS_RECORDINGS_DIR`. Required unless live.
   */
  recordingsDir?: string;
}

/**
 * The ModelPort the engine calls: resolves `request.connection` through the store to a vendor adapter
 * (built once per connection, with the shared retry policy), and records or replays calls as asked.
 * Replay and mock never touch connections or the network.
 */
export function createModelPort(options: CreateModelPortOptions): ModelPort {
  const env = options.env ?? process.env;
  const mode = options.mode ?? parseMode(env["FLOWOPS_LLM_MODE"]);
  if (mode === "mock") return createMockModelPort();
  const dir = options.recordingsDir ?? env["FLOWOPS_RECORDINGS_DIR"];
  if (mode !== "live" && !dir) {
    throw new UserError(
      "RecordingsDirMissing",
      `FLOWOPS_LLM_MODE=${mode} needs a recordings directory: pass recordingsDir or set FLOWOPS_RECORDINGS_DIR.`,
    );
  }
  const recordings: RecordingStore | undefined = dir ? createRecordingStore(dir) : undefined;
  const providers = new Map<string, Promise<ModelProvider>>();

  const providerFor = (request: ModelRequest): Promise<ModelProvider> => {
    const inline = request.inlineConnection;
    const key = inline ? `inline:${JSON.stringify(inline)}` : request.connection;
    let found = providers.get(key);
    if (!found) {
      found = inline
        ? Promise.resolve().then(() => createProvider(inlineConnection(request, inline), options))
        : options.connections.get(request.connection).then((connection) => {
            if (!connection) throw new ConnectionNotFoundError(request.connection, request.node);
            return createProvider(connection, options);
          });
      found.catch(() => providers.delete(key));
      providers.set(key, found);
    }
    return found;
  };

  const live = async (request: ModelRequest, o?: ModelCallOptions): Promise<ModelResponse> => {
    const provider = await providerFor(request);
    if (request.api === "chat") return provider.chat(request, o);
    if (request.api === "completion") return provider.completion(request, o);
    return provider.embedding(request, o);
  };

  async function* liveStream(request: ChatRequest | CompletionRequest, o?: ModelCallOptions) {
    const provider = await providerFor(request);
    if (request.api === "chat") return yield* provider.streamChat(request, o);
    if (provider.streamCompletion) return yield* provider.streamCompletion(request, o);
    const response = await provider.completion(request, o);
    yield {
      text: response.text ?? "",
      usage: response.usage,
      finish_reason: response.finish_reason,
    } as ModelStreamChunk;
  }

  return {
    async invoke(request, o) {
      if (mode === "replay") return (await recordings!.require(request)).response;
      const response = await live(request, o);
      if (mode === "record") await recordings!.write(request, response);
      return response;
    },
    async *stream(request, o) {
      if (mode === "replay") return yield* replayStream((await recordings!.require(request)).response);
      if (mode === "live") return yield* liveStream(request, o);
      const collected = collectStream(request.api);
      for await (const chunk of liveStream(request, o)) {
        collected.add(chunk);
        yield chunk;
      }
      await recordings!.write(request, collected.response());
    },
  };
}

function parseMode(value: string | undefined): ModelMode {
  if (value === undefined || value === "") return "live";
  if (modes.includes(value as ModelMode)) return value as ModelMode;
  throw new UserError(
    "InvalidModelMode",
    `FLOWOPS_LLM_MODE='${value}' is not a mode: use live, record, replay or mock.`,
    { field: "FLOWOPS_LLM_MODE" },
  );
}

/** A connection given inline (a prompty's model configuration), checked like a connection file. */
function inlineConnection(request: ModelRequest, inline: Record<string, unknown>): Connection {
  const parsed = connectionSchema.safeParse({ name: request.connection, ...inline });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join(".") || "configuration"}: ${issue.message}`,
  );
  throw new UserError(
    "InlineConnectionInvalid",
    `${request.node ? `Node '${request.node}': ` : ""}the model configuration of '${request.connection}' is not usable (${problems.join("; ")}): give azure_endpoint (and api_key, or none for Entra ID) for azure_openai, api_key (and base_url) for openai, or name a connection.`,
    { ...(request.node ? { node: request.node } : {}), field: "model.configuration" },
  );
}
