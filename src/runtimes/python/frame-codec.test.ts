import { describe, expect, it } from "vitest";
import { encodeFrame, FrameDecoder } from "./frame-codec.js";

describe("worker protocol frames", () => {
  it("decodes messages split at any byte boundary", () => {
    const bytes = Buffer.concat([
      encodeFrame({ a: 1 }),
      encodeFrame({ b: "é".repeat(3) }),
      encodeFrame([1, 2]),
    ]);
    for (let step = 1; step <= bytes.length; step++) {
      const decoder = new FrameDecoder();
      const messages: unknown[] = [];
      for (let i = 0; i < bytes.length; i += step)
        messages.push(...decoder.push(bytes.subarray(i, i + step)));
      expect(messages).toEqual([{ a: 1 }, { b: "ééé" }, [1, 2]]);
    }
  });

  it("rejects a frame that is not JSON", () => {
    const body = Buffer.from("not json");
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length);
    expect(() => new FrameDecoder().push(Buffer.concat([header, body]))).toThrow(SyntaxError);
  });

  it("turns the worker's non-finite float markers back into NaN and infinities, and leaves look-alikes", () => {
    const marker = (value: string) => ({ __flowops_non_finite__: value });
    const [message] = new FrameDecoder().push(
      encodeFrame({
        output: { nan: marker("NaN"), inf: marker("Infinity"), neg: marker("-Infinity") },
        list: [marker("NaN"), 1],
        other: { __flowops_non_finite__: "NaN", extra: true },
      }),
    );
    expect(message).toEqual({
      output: { nan: Number.NaN, inf: Infinity, neg: -Infinity },
      list: [Number.NaN, 1],
      other: { __flowops_non_finite__: "NaN", extra: true },
    });
  });
});
