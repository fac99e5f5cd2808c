/**
 * The worker protocol's framing: each message is a 4-byte big-endian length followed by UTF-8 JSON.
 * The decoder accepts arbitrary chunk boundaries (large outputs arrive in many chunks).
 */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

export class FrameDecoder {
  private buffered: Buffer[] = [];
  private length = 0;

  /** Feeds a chunk; returns every complete message it finished. Throws on a frame that is not JSON. */
  push(chunk: Buffer): unknown[] {
    this.buffered.push(chunk);
    this.length += chunk.length;
    const messages: unknown[] = [];
    // Don't join the chunks of a large frame until all of it has arrived (joining each time is quadratic).
    const first = this.buffered[0]!;
    if (first.length >= 4 && this.length < 4 + first.readUInt32BE(0)) return messages;
    let data = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered, this.length);
    while (data.length >= 4) {
      const size = data.readUInt32BE(0);
      if (data.length < 4 + size) break;
      const text = data.subarray(4, 4 + size).toString("utf8");
      messages.push(text.includes(NON_FINITE) ? JSON.parse(text, reviveNonFinite) : JSON.parse(text));
      data = data.subarray(4 + size);
    }
    this.buffered = data.length > 0 ? [data] : [];
    this.length = data.length;
    return messages;
  }
}

/** The worker sends python's NaN and infinities as `{"__flowops_non_finite__": "NaN" | "Infinity" | "-Infinity"}`. */
const NON_FINITE = "__flowops_non_finite__";

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const marker = (value as Record<string, unknown>)[NON_FINITE];
  if (typeof marker !== "string" || Object.keys(value).length !== 1) return value;
  return marker === "NaN" ? Number.NaN : marker === "-Infinity" ? -Infinity : Infinity;
}
