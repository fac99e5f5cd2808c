import { RequestError } from "./http-errors.js";

/** Largest request body accepted (flow inputs, chat history included). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Deepest nesting of arrays and objects accepted in a body: deeper values would overflow the stack later. */
export const MAX_JSON_DEPTH = 64;

export interface BodyLimits {
  maxBytes?: number;
  maxDepth?: number;
}

/**
 * Reads a request body as a JSON object (flow inputs, a run request). Only `application/json` (or
 * `+json`) is accepted (415 otherwise: a web page cannot send it without a CORS preflight); an empty
 * body is `{}`; over `maxBytes` is 413; not JSON, not an object or nested deeper than `maxDepth` is 400
 * naming the field.
 */
export async function readJsonObject(
  request: Request,
  limits: BodyLimits = {},
): Promise<Record<string, unknown>> {
  checkJsonContentType(request.headers.get("content-type"));
  const text = await readText(request, limits.maxBytes ?? MAX_BODY_BYTES);
  return parseJsonObject(text, limits.maxDepth ?? MAX_JSON_DEPTH);
}

/** Rejects a Content-Type that is not JSON with a 415. */
export function checkJsonContentType(contentType: string | null | undefined): void {
  if (contentType && isJsonType(contentType)) return;
  throw new RequestError(
    415,
    contentType
      ? `send the body as JSON (Content-Type: application/json), not '${contentType.slice(0, 100)}'`
      : "send the body as JSON with Content-Type: application/json",
    undefined,
    "UnsupportedMediaType",
  );
}

function isJsonType(contentType: string): boolean {
  const type = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** The body as UTF-8 text, refusing more than `maxBytes` (by Content-Length at once, else while reading). */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new RequestError(413, `the request body is larger than ${maxBytes} bytes`, undefined, "PayloadTooLarge");
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge();
  if (declared >= 0) {
    // A declared length is exact (the HTTP parser holds the sender to it): read it whole, the fastest way
    // the runtime has (on node:http, straight from the socket without a web stream).
    try {
      return await request.text();
    } catch (error) {
      throw new RequestError(400, `the request body could not be read: ${(error as Error).message}`);
    }
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RequestError) throw error;
    throw new RequestError(400, `the request body could not be read: ${(error as Error).message}`);
  }
  if (chunks.length === 1)
    return Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, size).toString("utf8");
  return Buffer.concat(chunks, size).toString("utf8");
}

/** Parses body text into a JSON object, with readJsonObject's rules (400s). */
export function parseJsonObject(text: string, maxDepth = MAX_JSON_DEPTH): Record<string, unknown> {
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
      'the request body must be a JSON object of named values, e.g. {"question": "..."}',
    );
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const nested = object[key];
    if (nested !== null && typeof nested === "object" && depthOf(nested, maxDepth) > maxDepth) {
      throw new RequestError(
        400,
        `'${key.slice(0, 100)}' is nested deeper than ${maxDepth} levels of lists and objects`,
        key,
      );
    }
  }
  return object;
}

/** Nesting depth of a parsed JSON value, without recursion; stops counting past `limit`. */
function depthOf(root: object, limit: number): number {
  const stack: [unknown, number][] = [[root, 1]];
  let deepest = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    const children = Array.isArray(value) ? value : Object.values(value as object);
    for (const child of children) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
