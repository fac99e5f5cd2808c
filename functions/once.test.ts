import { describe, expect, it } from "vitest";
import { once } from "./once.js";

describe("once", () => {
  it("makes the promise on the first call and shares it", async () => {
    let made = 0;
    const get = once(async () => ++made);
    expect(made).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect([a, b, await get(), made]).toEqual([1, 1, 1, 1]);
  });

  it("makes it again after it failed", async () => {
    let calls = 0;
    const get = once(async () => {
      calls++;
      if (calls === 1) throw new Error("import failed");
      return "loaded";
    });
    await expect(get()).rejects.toThrow("import failed");
    expect(await get()).toBe("loaded");
    expect(calls).toBe(2);
  });
});
