import type { IncomingMessage } from "node:http";
import { RequestError } from "./error-response.js";

/** Largest request body accepted (flow inputs, chat history included). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads a request body as a JSON object of flow inputs. An empty body is `{}`; anything that is not a
 * JSON object is the client's mistake (400), and so is a body over the size limit (413).
 */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  checkJsonContentType(request.headers["content-type"]);
  // Plain 'data'/'end' events: cheaper per request than the stream's async iterator.
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const received: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off("data", onData);
        reject(new RequestError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      received.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(received));
    request.once("error", reject);
  });
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return parseJsonInputs(body.toString("utf8"));
}

/** Parses a request body already read as text into flow inputs, with readJsonBody's rules (400s). */
export function parseJsonInputs(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // An empty (or blank) body means no inputs; checked only when parsing fails, to spare a copy.
    if (text.trim() === "") return {};
    throw new RequestError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RequestError(
      400,
      'the request body must be a JSON object of the flow\'s inputs, e.g. {"question": "..."}',
    );
  }
  return value as Record<string, unknown>;
}

/** Rejects a Content-Type that is not JSON (or text/plain) with a 415. */
export function checkJsonContentType(contentType: string | undefined): void {
  if (
    contentType &&
    !/^application\/(.+\+)?json\b/i.test(contentType) &&
    !/^text\/plain\b/i.test(contentType)
  ) {
    throw new RequestError(
      415,
      `send the inputs as JSON (Content-Type: application/json), not '${contentType}'`,
    );
  }
}
