import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../core/errors.js";
import type { ModelRequest, ModelResponse, ModelStreamChunk } from "../core/model-port.js";
import { explainMiss, type MissReason } from "./closest-recording.js";

/**
 * Record/replay of model calls. A recording is one JSON file per request, `<recordingsDir>/<key>.json`,
 * where the key hashes the canonical request: api, model, messages/prompt/input and parameters, with
 * sorted keys. The connection (its name, endpoint and secrets), the provider hint and the node name are
 * NOT part of the key, so a flow replays whatever connection it is given. A streamed call and a plain
 * call of the same request share one recording.
 */
export interface Recording {
  key: string;
  request: Record<string, unknown>;
  response: ModelResponse;
  node?: string;
  recorded_at: string;
}

export function canonicalRequest(request: ModelRequest): Record<string, unknown> {
  const body =
    request.api === "chat"
      ? { messages: request.messages }
      : request.api === "completion"
        ? { prompt: request.prompt }
        : { input: request.input };
  return sortKeys({
    api: request.api,
    model: request.model,
    parameters: request.parameters,
    ...body,
  }) as Record<string, unknown>;
}

export function recordingKey(request: ModelRequest): string {
  return createHash("sha256")
    .update(JSON.stringify(canonicalRequest(request)))
    .digest("hex")
    .slice(0, 32);
}

/** A replay found no recording for a request; the message says why, judged from the folder's recordings. */
export class RecordingNotFoundError extends UserError {
  readonly reason: MissReason;
  constructor(request: ModelRequest, dir: string, key: string, reason: MissReason = { kind: "empty" }) {
    const what = `${request.node ? `node '${request.node}'` : "a model call"} (${request.api}, model '${request.model}', key ${key})`;
    const record =
      "To answer it offline, record it once with a real connection: FLOWOPS_LLM_MODE=record flowops flow test " +
      "--flow <flow dir> --inputs ... (then commit the new files), or try the flow with placeholder answers: " +
      "FLOWOPS_LLM_MODE=mock.";
    const why =
      reason.kind === "empty"
        ? `${dir} has no recordings.`
        : reason.kind === "parameters"
          ? `The same prompt is recorded with another ${reason.differs.join("/") || "request"}: the node's ${reason.differs.join(", ") || "settings"} changed since it was recorded.`
          : `These inputs are new: no recording has this prompt. The closest recorded one${reason.node ? ` (node '${reason.node}')` : ""} has
    "${reason.recorded}"
  where this call has
    "${reason.requested}"
  Use recorded inputs (e.g. a row of the flow's data files) to replay.`;
    super(
      "RecordingNotFound",
      `No recording for ${what} in ${dir}. ${why}
  ${record}`,
      {
        ...(request.node ? { node: request.node } : {}),
      },
    );
    this.reason = reason;
  }
}

export interface RecordingStore {
  readonly dir: string;
  read(request: ModelRequest): Promise<Recording | undefined>;
  /** Reads, or throws RecordingNotFoundError naming the node and how to record. */
  require(request: ModelRequest): Promise<Recording>;
  write(request: ModelRequest, response: ModelResponse): Promise<void>;
}

export function createRecordingStore(dir: string): RecordingStore {
  const fileOf = (key: string) => join(dir, `${key}.json`);
  const read = async (request: ModelRequest) => {
    try {
      return JSON.parse(await readFile(fileOf(recordingKey(request)), "utf8")) as Recording;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  };
  return {
    dir,
    read,
    async require(request) {
      const found = await read(request);
      if (!found) {
        const reason = await explainMiss(dir, canonicalRequest(request), request.node);
        throw new RecordingNotFoundError(request, dir, recordingKey(request), reason);
      }
      return found;
    },
    async write(request, response) {
      const key = recordingKey(request);
      const recording: Recording = {
        key,
        request: canonicalRequest(request),
        response,
        ...(request.node ? { node: request.node } : {}),
        recorded_at: new Date().toISOString(),
      };
      await mkdir(dir, { recursive: true });
      const temporary = `${fileOf(key)}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(recording, null, 2)}\n`);
      await rename(temporary, fileOf(key));
    },
  };
}

/** Replays a recorded response as a stream: the text in word-sized chunks, usage on the last one. */
export async function* replayStream(response: ModelResponse): AsyncGenerator<ModelStreamChunk> {
  const pieces = (response.text ?? "").match(/\s*\S+\s*/g) ?? [];
  for (const text of pieces) yield { text };
  yield {
    usage: response.usage,
    ...(response.finish_reason ? { finish_reason: response.finish_reason } : {}),
  };
}

/** Collects a stream's chunks into the response that a recording stores. */
export function collectStream(api: "chat" | "completion") {
  let text = "";
  let usage: ModelResponse["usage"] = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let finish: string | undefined;
  return {
    add(chunk: ModelStreamChunk) {
      text += chunk.text ?? "";
      if (chunk.usage) usage = chunk.usage;
      if (chunk.finish_reason) finish = chunk.finish_reason;
    },
    response(): ModelResponse {
      return {
        text,
        ...(api === "chat" ? { message: { role: "assistant", content: text } } : {}),
        ...(finish ? { finish_reason: finish } : {}),
        usage,
      };
    },
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
